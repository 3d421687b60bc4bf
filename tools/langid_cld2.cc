// langid_cld2.cc — reads lines on stdin and prints CLD2's language code for
// each (one per line; "un" for unknown). Built by tools/eval-langid.sh with
// g++ against Debian's libcld2-dev; not part of the CMake build.
#include <cstdio> // before CLD2, whose header needs FILE

#include <cld2/public/compact_lang_det.h>
#include <iostream>
#include <string>

int main() {
  std::string line;
  std::ios::sync_with_stdio(false);
  while (std::getline(std::cin, line)) {
    bool reliable = false;
    CLD2::Language l =
        CLD2::DetectLanguage(line.data(), (int)line.size(), true, &reliable);
    std::cout << CLD2::LanguageCode(l) << '\n';
  }
  return 0;
}
