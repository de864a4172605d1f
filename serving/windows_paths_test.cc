#include "serving/windows_paths.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "backend/testing/scratch_folder.h"

namespace bitsh::serving {
namespace {

WindowsPaths WineLike() {
  WindowsPaths paths;
  paths.AddDrive('c', "/home/me/.wine/drive_c");
  paths.AddDrive('Z', "/");
  return paths;
}

TEST(WindowsPathsTest, ADrivePathBecomesAHostPathUnderItsFolder) {
  const WindowsPaths paths = WineLike();
  EXPECT_EQ(paths.ToHost("C:\\users\\me\\Music\\01.wma"), "/home/me/.wine/drive_c/users/me/Music/01.wma");
  EXPECT_EQ(paths.ToHost("c:/users/me/01.wma"), "/home/me/.wine/drive_c/users/me/01.wma");
  EXPECT_EQ(paths.ToHost("Z:\\tmp\\01.wma"), "/tmp/01.wma");
}

TEST(WindowsPathsTest, ANameOnNoMappedDriveOrNoDriveStaysAsItIs) {
  const WindowsPaths paths = WineLike();
  EXPECT_EQ(paths.ToHost("D:\\01.wma"), "D:\\01.wma");
  EXPECT_EQ(paths.ToHost("01.wma"), "01.wma");
  EXPECT_EQ(paths.ToHost("C:relative.wma"), "C:relative.wma");
  EXPECT_EQ(paths.ToHost("/tmp/01.wma"), "/tmp/01.wma");
}

TEST(WindowsPathsTest, AHostPathGoesBackThroughTheMostSpecificDrive) {
  const WindowsPaths paths = WineLike();
  EXPECT_EQ(paths.ToWindows("/home/me/.wine/drive_c/users/me/BIT1A.tmp"), "C:\\users\\me\\BIT1A.tmp");
  EXPECT_EQ(paths.ToWindows("/tmp/01.wma"), "Z:\\tmp\\01.wma");
  EXPECT_EQ(paths.ToWindows("/home/me/.wine/drive_cc/a"), "Z:\\home\\me\\.wine\\drive_cc\\a") << "a folder boundary";
}

TEST(WindowsPathsTest, WithoutARootDriveAHostPathOutsideEveryFolderStays) {
  WindowsPaths paths;
  paths.AddDrive('C', "/srv/c/");
  EXPECT_EQ(paths.ToWindows("/srv/c/a.wma"), "C:\\a.wma");
  EXPECT_EQ(paths.ToWindows("/srv/other/a.wma"), "/srv/other/a.wma");
  EXPECT_EQ(paths.ToHost(paths.ToWindows("/srv/c/x/y.wma")), "/srv/c/x/y.wma");
}

TEST(WindowsPathsTest, AWinePrefixGivesItsDosDevices) {
  testing::ScratchFolder prefix("bitshd-prefix");
  std::filesystem::create_directories(prefix / "drive_c");
  std::filesystem::create_directories(prefix / "dosdevices");
  std::filesystem::create_directory_symlink("../drive_c", prefix / "dosdevices" / "c:");
  std::filesystem::create_directory_symlink("/", prefix / "dosdevices" / "z:");
  std::filesystem::create_symlink("/dev/null", prefix / "dosdevices" / "com1");  // not a drive
  const Result<WindowsPaths> paths = WindowsPaths::FromWinePrefix(prefix.path());
  ASSERT_TRUE(paths.ok()) << paths.status().ToString();
  EXPECT_EQ(paths->Drives().size(), 2u);
  EXPECT_EQ(paths->ToHost("C:\\a.wma"), (std::filesystem::canonical(prefix / "drive_c") / "a.wma").string());
}

TEST(WindowsPathsTest, AFolderThatIsNoPrefixIsAnErrorNamingIt) {
  testing::ScratchFolder empty("bitshd-prefix");
  const Result<WindowsPaths> paths = WindowsPaths::FromWinePrefix(empty.path());
  ASSERT_FALSE(paths.ok());
  EXPECT_NE(paths.status().message().find("dosdevices"), std::string::npos) << paths.status().message();
}

}  // namespace
}  // namespace bitsh::serving
