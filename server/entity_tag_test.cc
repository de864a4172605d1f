// Entity-tag parsing and the comparison table of RFC 9110 §8.8.3.2.
#include "server/entity_tag.h"

#include <gtest/gtest.h>

namespace bitsh::server {
namespace {

struct ComparisonRow {
  const char* a;
  const char* b;
  bool strong;
  bool weak;
};

// The table in RFC 9110 §8.8.3.2, row for row.
constexpr ComparisonRow kRfcTable[] = {
    {R"(W/"1")", R"(W/"1")", false, true},
    {R"(W/"1")", R"(W/"2")", false, false},
    {R"(W/"1")", R"("1")", false, true},
    {R"("1")", R"("1")", true, true},
};

TEST(EntityTagTest, ComparesAsTheRfcTableSays) {
  for (const ComparisonRow& row : kRfcTable) {
    const std::optional<EntityTag> a = ParseEntityTag(row.a), b = ParseEntityTag(row.b);
    ASSERT_TRUE(a && b) << row.a << " " << row.b;
    EXPECT_EQ(StrongMatch(*a, *b), row.strong) << row.a << " " << row.b;
    EXPECT_EQ(StrongMatch(*b, *a), row.strong) << row.b << " " << row.a;
    EXPECT_EQ(WeakMatch(*a, *b), row.weak) << row.a << " " << row.b;
  }
}

TEST(EntityTagTest, ParsesStrongAndWeakTags) {
  const std::optional<EntityTag> strong = ParseEntityTag(R"("g42-1000-v1")");
  ASSERT_TRUE(strong);
  EXPECT_FALSE(strong->weak);
  EXPECT_EQ(strong->opaque, R"("g42-1000-v1")");
  const std::optional<EntityTag> weak = ParseEntityTag(R"(W/"x")");
  ASSERT_TRUE(weak);
  EXPECT_TRUE(weak->weak);
  EXPECT_EQ(weak->opaque, R"("x")");
  const std::optional<EntityTag> empty = ParseEntityTag(R"("")");
  ASSERT_TRUE(empty);
  EXPECT_EQ(empty->opaque, R"("")");
  EXPECT_TRUE(ParseEntityTag("\"caf\xc3\xa9\""));  // obs-text is allowed
}

TEST(EntityTagTest, RejectsMalformedTags) {
  for (const char* text : {"", "abc", R"("abc)", R"(abc")", R"(w/"x")", R"(W/x)", R"("a b")", R"("a"b")",
                           R"( "a")", R"("a" )", R"("a",)", "*", "\"a\tb\""}) {
    EXPECT_EQ(ParseEntityTag(text), std::nullopt) << text;
  }
}

TEST(EntityTagTest, ParsesListsWithSpacesAndEmptyElements) {
  const std::optional<EntityTagList> list = ParseEntityTagList(R"( "a",W/"b" ,	, "c,d" ,)");
  ASSERT_TRUE(list);
  EXPECT_FALSE(list->any);
  ASSERT_EQ(list->tags.size(), 3u);
  EXPECT_EQ(list->tags[0].opaque, R"("a")");
  EXPECT_TRUE(list->tags[1].weak);
  EXPECT_EQ(list->tags[1].opaque, R"("b")");
  EXPECT_EQ(list->tags[2].opaque, R"("c,d")");  // a comma inside the quotes belongs to the tag
}

TEST(EntityTagTest, StarIsAnyButOnlyAlone) {
  const std::optional<EntityTagList> star = ParseEntityTagList(" * ");
  ASSERT_TRUE(star);
  EXPECT_TRUE(star->any);
  EXPECT_TRUE(star->tags.empty());
  EXPECT_EQ(ParseEntityTagList(R"(*, "a")"), std::nullopt);
  EXPECT_EQ(ParseEntityTagList("**"), std::nullopt);
}

TEST(EntityTagTest, AnEmptyListHasNoTags) {
  const std::optional<EntityTagList> empty = ParseEntityTagList(" , ");
  ASSERT_TRUE(empty);
  EXPECT_FALSE(empty->any);
  EXPECT_TRUE(empty->tags.empty());
}

TEST(EntityTagTest, RejectsMalformedLists) {
  for (const char* text : {R"("a" "b")", R"("a";"b")", R"(a, "b")", R"("a", b)", R"("a", "b)"}) {
    EXPECT_EQ(ParseEntityTagList(text), std::nullopt) << text;
  }
}

}  // namespace
}  // namespace bitsh::server
