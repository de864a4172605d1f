// The proxy rules of fake/proxy_route.h: what SetProxySettings takes, and where each request goes.
#include "fake/proxy_route.h"

#include <gtest/gtest.h>

#include <string>

namespace bitsh::fake {
namespace {

ProxySettings Override(std::string list, std::optional<std::string> bypass = std::nullopt) {
  return {ProxyUsage::kOverride, std::move(list), std::move(bypass)};
}

std::optional<ProxyEndpoint> Route(const ProxySettings& settings, std::string_view url,
                                   const std::optional<UserProxySettings>& user = std::nullopt) {
  Result<std::optional<ProxyEndpoint>> route = RouteFor(settings, user, url);
  EXPECT_TRUE(route.ok()) << route.status().message();
  return route.ok() ? *route : std::nullopt;
}

TEST(CheckProxySettingsTest, TakesEachUsageWithTheListsItAllows) {
  EXPECT_TRUE(CheckProxySettings({ProxyUsage::kPreconfig, std::nullopt, std::nullopt}).ok());
  EXPECT_TRUE(CheckProxySettings({ProxyUsage::kNoProxy, std::nullopt, std::nullopt}).ok());
  EXPECT_TRUE(CheckProxySettings({ProxyUsage::kAutodetect, std::nullopt, std::nullopt}).ok());
  EXPECT_TRUE(CheckProxySettings(Override("proxy:8080")).ok());
  EXPECT_TRUE(CheckProxySettings(Override("proxy:8080", "<local>")).ok());
}

TEST(CheckProxySettingsTest, AUsageOutsideTheEnumerationIsNotImplemented) {
  EXPECT_EQ(CheckProxySettings({static_cast<ProxyUsage>(4), std::nullopt, std::nullopt}).code(), hr::kNotImpl);
}

TEST(CheckProxySettingsTest, OverrideNeedsAListAndTheOtherUsagesTakeNone) {
  EXPECT_EQ(CheckProxySettings({ProxyUsage::kOverride, std::nullopt, std::nullopt}).code(), hr::kInvalidArg);
  EXPECT_EQ(CheckProxySettings({ProxyUsage::kNoProxy, "x:1", std::nullopt}).code(), hr::kInvalidArg);
  EXPECT_EQ(CheckProxySettings({ProxyUsage::kPreconfig, std::nullopt, "<local>"}).code(), hr::kInvalidArg);
}

TEST(CheckProxySettingsTest, ListsStopAt32KB) {
  const std::string longest(limits::kMaxProxyListChars, 'p');
  EXPECT_TRUE(CheckProxySettings(Override(longest, longest)).ok());
  EXPECT_EQ(CheckProxySettings(Override(longest + "p")).code(), hr::kProxyListTooLarge);
  EXPECT_EQ(CheckProxySettings(Override("proxy:1", longest + "p")).code(), hr::kProxyBypassListTooLarge);
}

TEST(RouteForTest, NoProxyAndPreconfigWithoutUserSettingsGoDirect) {
  EXPECT_EQ(Route({ProxyUsage::kNoProxy, std::nullopt, std::nullopt}, "http://cdn.example/a"), std::nullopt);
  EXPECT_EQ(Route({}, "http://cdn.example/a"), std::nullopt);
  EXPECT_EQ(Route({ProxyUsage::kAutodetect, std::nullopt, std::nullopt}, "http://cdn.example/a"), std::nullopt);
}

TEST(RouteForTest, PreconfigAndAutodetectUseTheUsersSettings) {
  const UserProxySettings user{"corp:3128", "*.internal"};
  EXPECT_EQ(Route({}, "http://cdn.example/a", user), (ProxyEndpoint{"corp", 3128}));
  EXPECT_EQ(Route({ProxyUsage::kAutodetect, std::nullopt, std::nullopt}, "http://cdn.example/a", user),
            (ProxyEndpoint{"corp", 3128}));
  EXPECT_EQ(Route({}, "http://files.internal/a", user), std::nullopt);
  EXPECT_EQ(Route({ProxyUsage::kNoProxy, std::nullopt, std::nullopt}, "http://cdn.example/a", user), std::nullopt);
}

TEST(RouteForTest, OverrideUsesTheFirstEntryForTheUrlsScheme) {
  EXPECT_EQ(Route(Override("proxy"), "http://cdn.example/a"), (ProxyEndpoint{"proxy", 80}));
  EXPECT_EQ(Route(Override("http://127.0.0.1:8080"), "http://cdn.example/a"), (ProxyEndpoint{"127.0.0.1", 8080}));
  const ProxySettings split = Override("https=secure:443 http=plain:3128 other:1");
  EXPECT_EQ(Route(split, "http://cdn.example/a"), (ProxyEndpoint{"plain", 3128}));
  EXPECT_EQ(Route(split, "https://cdn.example/a"), (ProxyEndpoint{"secure", 443}));
  EXPECT_EQ(Route(Override("a:1;b:2"), "http://cdn.example/a"), (ProxyEndpoint{"a", 1}));
  EXPECT_EQ(Route(Override("[::1]:3128"), "http://cdn.example/a"), (ProxyEndpoint{"::1", 3128}));  // brackets off
  EXPECT_EQ(Route(Override("http://[::1]"), "http://cdn.example/a"), (ProxyEndpoint{"::1", 80}));
  EXPECT_EQ(Route(Override("[::1]:3128", "[::1]"), "http://[::1]:81/a"), std::nullopt);
}

TEST(RouteForTest, BypassedHostsGoDirect) {
  const ProxySettings settings = Override("proxy:8080", "<local> *.cdn.example 10.0.0.*;Store.Example");
  EXPECT_EQ(Route(settings, "http://intranet/a"), std::nullopt);                // <local>: no dot
  EXPECT_EQ(Route(settings, "http://eu.cdn.example/a"), std::nullopt);          // wildcard
  EXPECT_EQ(Route(settings, "http://10.0.0.7:81/a"), std::nullopt);             // address wildcard, port ignored
  EXPECT_EQ(Route(settings, "http://store.example/a"), std::nullopt);           // without case
  EXPECT_EQ(Route(settings, "http://cdn.example/a"), (ProxyEndpoint{"proxy", 8080}));  // "*." needs a label
  EXPECT_EQ(Route(settings, "http://user:pw@other.example/a"), (ProxyEndpoint{"proxy", 8080}));
}

TEST(RouteForTest, AnEntryThatCannotBeReadIsInvalidProxyInfoNamingIt) {
  for (const std::string list : {"proxy:0", "proxy:65536", "proxy:http", ":8080", "socks=proxy:1080",
                                 "https://proxy:443", "proxy/path:80", "::1", "[", "[]:80", "[::1]x", "proxy:", "a]:80"}) {
    Result<std::optional<ProxyEndpoint>> route = RouteFor(Override("good:1 " + list), std::nullopt, "http://a/b");
    ASSERT_FALSE(route.ok()) << list;
    EXPECT_EQ(route.status().code(), hr::kInvalidProxyInfo) << list;
    EXPECT_NE(route.status().message().find("'" + list + "'"), std::string::npos) << route.status().message();
  }
}

TEST(RouteForTest, OverrideWithNoProxyForTheSchemeIsInvalidProxyInfoUnlessBypassed) {
  EXPECT_EQ(RouteFor(Override(""), std::nullopt, "http://a/b").status().code(), hr::kInvalidProxyInfo);
  EXPECT_EQ(RouteFor(Override("https=secure:443"), std::nullopt, "http://a/b").status().code(), hr::kInvalidProxyInfo);
  EXPECT_EQ(Route(Override("https=secure:443", "a"), "http://a/b"), std::nullopt);
}

TEST(IsBypassedTest, StarsMatchAnyRunAndManyStarsStayCheap) {
  EXPECT_TRUE(IsBypassed("*", "anything.example"));
  EXPECT_TRUE(IsBypassed("a*b*c", "aXXbYYc"));
  EXPECT_FALSE(IsBypassed("a*b*c", "aXXbYY"));
  EXPECT_FALSE(IsBypassed("", "host"));
  EXPECT_FALSE(IsBypassed("<local>", "127.0.0.1"));
  // 8,000 stars against a 250-character host that does not match: quadratic, not exponential.
  std::string stars;
  for (int i = 0; i < 4000; ++i) stars += "*a";
  EXPECT_FALSE(IsBypassed(stars + "z", std::string(250, 'a')));
}

}  // namespace
}  // namespace bitsh::fake
