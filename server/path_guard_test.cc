#include "server/path_guard.h"

#include <gtest/gtest.h>

#include <fstream>

#include "backend/testing/scratch_folder.h"

namespace bitsh::server {
namespace {

class PathGuardTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = base_ / "root";
    std::filesystem::create_directories(root_ / "album");
    std::ofstream(root_ / "album" / "01.wma") << "music";
    std::ofstream(base_ / "secret.txt") << "secret";
    std::filesystem::create_symlink(base_ / "secret.txt", root_ / "escape.wma");
    std::filesystem::create_symlink(root_ / "album" / "01.wma", root_ / "inside.wma");
  }
  bitsh::testing::ScratchFolder scratch_{"bitsh-guard"};
  const std::filesystem::path base_ = scratch_.path();
  std::filesystem::path root_;
};

TEST_F(PathGuardTest, ServesFilesBelowTheRoot) {
  const PathResolution resolved = ResolveRequestPath(root_, "/album/01.wma");
  EXPECT_EQ(resolved.http_status, 200);
  EXPECT_EQ(resolved.file, std::filesystem::canonical(root_ / "album" / "01.wma"));
  EXPECT_EQ(ResolveRequestPath(root_, "/album/./01.wma").http_status, 200);
  EXPECT_EQ(ResolveRequestPath(root_, "//album//01.wma").http_status, 200);
}

TEST_F(PathGuardTest, RefusesEveryWayOut) {
  EXPECT_EQ(ResolveRequestPath(root_, "/../secret.txt").http_status, 403);
  EXPECT_EQ(ResolveRequestPath(root_, "/album/../../secret.txt").http_status, 403);
  EXPECT_EQ(ResolveRequestPath(root_, "/album/..").http_status, 403);
  EXPECT_EQ(ResolveRequestPath(root_, "/..\\secret.txt").http_status, 403);
  EXPECT_EQ(ResolveRequestPath(root_, std::string_view("/a\0b", 4)).http_status, 403);
  EXPECT_EQ(ResolveRequestPath(root_, "relative.wma").http_status, 403);
  EXPECT_EQ(ResolveRequestPath(root_, "/escape.wma").http_status, 403);  // a link out of the root
}

TEST_F(PathGuardTest, LinksThatStayInsideAreServed) {
  EXPECT_EQ(ResolveRequestPath(root_, "/inside.wma").http_status, 200);
}

TEST_F(PathGuardTest, MissingFilesAndFoldersAreNotFound) {
  EXPECT_EQ(ResolveRequestPath(root_, "/album/02.wma").http_status, 404);
  EXPECT_EQ(ResolveRequestPath(root_, "/album").http_status, 404);
  EXPECT_EQ(ResolveRequestPath(root_, "/").http_status, 404);
}

}  // namespace
}  // namespace bitsh::server
