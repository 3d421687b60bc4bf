// langid_textcat.cc — reads lines on stdin and prints libexttextcat's best
// language code for each (one per line; "unknown" when it gives none).
// Usage: langid_textcat CONF PROFILE_DIR/ — CONF lists the profiles to use
// (tools/eval-langid.sh writes one with ca, es, fr, oc, it, pt, en). Built
// by that script with g++ against Debian's libexttextcat-dev; not part of
// the CMake build. The minimum document size is lowered to one byte so that
// every input gets an answer.
#include <cstring>
#include <iostream>
#include <libexttextcat/textcat.h>
#include <string>

int main(int argc, char **argv) {
  if (argc != 3) {
    std::cerr << "usage: langid_textcat CONF PROFILE_DIR/\n";
    return 2;
  }
  void *h = special_textcat_Init(argv[1], argv[2]);
  if (!h) {
    std::cerr << "langid_textcat: cannot load " << argv[1] << '\n';
    return 1;
  }
  textcat_SetProperty(h, TCPROP_MINIMUM_DOCUMENT_SIZE, 1);
  std::ios::sync_with_stdio(false);
  std::string line;
  while (std::getline(std::cin, line)) {
    const char *r = textcat_Classify(h, line.data(), line.size());
    std::string code = "unknown";
    if (r && r[0] == '[') {
      const char *e = std::strpbrk(r + 1, "-]");
      if (e)
        code.assign(r + 1, (size_t)(e - r - 1));
    }
    std::cout << code << '\n';
  }
  textcat_Done(h);
  return 0;
}
