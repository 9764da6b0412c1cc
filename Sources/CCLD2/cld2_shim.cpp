// CLD2 behind one extern "C" function; no C++ type crosses this file's boundary.
#include <cstdio>
#include <cstring>
#include <cld2/public/compact_lang_det.h>

#include "CCLD2.h"

extern "C" int raif_cld2_detect(const char *utf8, int len, int is_plain_text, char *lang_out, int *percent,
                                int *is_reliable) {
    if (utf8 == nullptr || len < 0 || lang_out == nullptr || percent == nullptr || is_reliable == nullptr) {
        return -1;
    }
    CLD2::Language language3[3];
    int percent3[3] = {0, 0, 0};
    int text_bytes = 0;
    bool reliable = false;
    CLD2::Language top = CLD2::DetectLanguageSummary(utf8, len, is_plain_text != 0, language3, percent3,
                                                     &text_bytes, &reliable);
    const char *code = CLD2::LanguageCode(top);
    if (code == nullptr) {
        code = "un";
    }
    std::strncpy(lang_out, code, 15);
    lang_out[15] = '\0';
    *percent = percent3[0];
    *is_reliable = reliable ? 1 : 0;
    return text_bytes;
}
