// The forms of a remote name AddFile takes, and where the ones that are not HTTP point.
#include "fake/remote_name.h"

#include <gtest/gtest.h>

namespace bitsh::fake {
namespace {

TEST(RemoteNameTest, HttpUrlsInAnyCase) {
  EXPECT_EQ(FormOfRemoteName("http://host/a.wma"), RemoteNameForm::kHttp);
  EXPECT_EQ(FormOfRemoteName("HTTPS://host/a.wma"), RemoteNameForm::kHttp);
  EXPECT_EQ(FormOfRemoteName("http://"), RemoteNameForm::kUnsupported);
}

TEST(RemoteNameTest, LocalUncAndFileForms) {
  EXPECT_EQ(FormOfRemoteName("/srv/in/a.wma"), RemoteNameForm::kLocalPath);
  EXPECT_EQ(FormOfRemoteName("C:\\in\\a.wma"), RemoteNameForm::kLocalPath);
  EXPECT_EQ(FormOfRemoteName("c:/in/a.wma"), RemoteNameForm::kLocalPath);
  EXPECT_EQ(FormOfRemoteName("\\\\media\\store\\a.wma"), RemoteNameForm::kUncPath);
  EXPECT_EQ(FormOfRemoteName("file:///srv/a.wma"), RemoteNameForm::kFileUrl);
  EXPECT_EQ(FormOfRemoteName("FILE://C:\\a.wma"), RemoteNameForm::kFileUrl);
}

TEST(RemoteNameTest, OtherSchemesAndRelativeNamesAreUnsupported) {
  for (const char* name : {"ftp://host/a.wma", "a.wma", "in/a.wma", "C:a.wma", "", "file://", "//host/a.wma",
                           "\\\\\\x"}) {
    EXPECT_EQ(FormOfRemoteName(name), RemoteNameForm::kUnsupported) << name;
  }
}

TEST(RemoteNameTest, HostPathsAndFileUrlsResolveToTheHostFile) {
  EXPECT_EQ(ResolveLocalSource("/srv/in/a.wma", {}).path, "/srv/in/a.wma");
  EXPECT_EQ(ResolveLocalSource("/srv/in/../b.wma", {}).path, "/srv/b.wma");
  EXPECT_EQ(ResolveLocalSource("file:///srv/in/a.wma", {}).path, "/srv/in/a.wma");
  EXPECT_EQ(ResolveLocalSource("file://localhost/srv/a.wma", {}).path, "/srv/a.wma");
  EXPECT_EQ(ResolveLocalSource("file:///srv/my%20album/a.wma", {}).path, "/srv/my album/a.wma");
}

TEST(RemoteNameTest, DrivesAndSharesGoThroughTheMapInAnyCase) {
  const WindowsPathMap map{{"C:", "/machine/c"}, {"\\\\Media\\Store", "/machine/share"}};
  EXPECT_EQ(ResolveLocalSource("c:\\In\\a.wma", map).path, "/machine/c/In/a.wma");
  EXPECT_EQ(ResolveLocalSource("file:///C:/In/a.wma", map).path, "/machine/c/In/a.wma");
  EXPECT_EQ(ResolveLocalSource("file://C:\\In\\a.wma", map).path, "/machine/c/In/a.wma");  // Wine's tests' form
  EXPECT_EQ(ResolveLocalSource("\\\\media\\STORE\\album\\01.wma", map).path, "/machine/share/album/01.wma");
  EXPECT_EQ(ResolveLocalSource("file://media/store/album/01.wma", map).path, "/machine/share/album/01.wma");
}

TEST(RemoteNameTest, UnmappedDrivesServersAndSharesGetTheWindowsCodes) {
  const WindowsPathMap map{{"\\\\media\\store", "/machine/share"}};
  EXPECT_EQ(ResolveLocalSource("D:\\a.wma", map).error, hr::kPathNotFound);
  EXPECT_EQ(ResolveLocalSource("\\\\media\\other\\a.wma", map).error, hr::kBadNetName);
  EXPECT_EQ(ResolveLocalSource("\\\\elsewhere\\store\\a.wma", map).error, hr::kBadNetPath);
}

TEST(RemoteNameTest, NamesThatCannotPointAnywhereAreInvalidArguments) {
  const WindowsPathMap map{{"C:", "/machine/c"}, {"\\\\media\\store", "/machine/share"}};
  for (const char* name : {"file:///srv/a%2.wma", "file:///srv/a%zz.wma", "C:\\..\\etc\\passwd",
                           "\\\\media\\store\\..\\..\\x", "\\\\media", "\\\\media\\store", "/.."}) {
    const LocalSource source = ResolveLocalSource(name, map);
    EXPECT_EQ(source.error, hr::kInvalidArg) << name << " -> " << source.path;
    EXPECT_FALSE(source.detail.empty()) << name;
  }
}

}  // namespace
}  // namespace bitsh::fake
