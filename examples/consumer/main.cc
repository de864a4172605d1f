// Prints the WMP convention findings for the description given as the first argument.
// Exit code: 0 when the description has no errors, 1 otherwise.
#include <iostream>

#include "wmp/convention.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: lint_description DESCRIPTION\n";
    return 2;
  }
  const bitsh::wmp::ParseResult result = bitsh::wmp::ParseDescription(argv[1]);
  for (const bitsh::wmp::Finding& finding : result.findings) {
    std::cout << bitsh::wmp::ToString(finding) << "\n";
  }
  return bitsh::wmp::HasErrors(result.findings) ? 1 : 0;
}
