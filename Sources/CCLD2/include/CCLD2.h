#ifndef RAIF_CCLD2_H
#define RAIF_CCLD2_H

#ifdef __cplusplus
extern "C" {
#endif

/// Detects the main language of UTF-8 text with Google's CLD2.
///
/// - utf8 / len: the text (valid UTF-8, not NUL-terminated).
/// - is_plain_text: 1 for plain text, 0 to let CLD2 skip HTML tags and entities.
/// - lang_out: receives CLD2's language code ("en", "fr", "iw", "zh-Hant", "un" for unknown),
///   NUL-terminated; must hold at least 16 bytes.
/// - percent: receives the percentage of the text's letters in that language (0...100).
/// - is_reliable: receives 1 when CLD2 considers the guess reliable, else 0.
/// Returns the number of text bytes CLD2 scored (letters it looked at), or -1 on bad arguments.
int raif_cld2_detect(const char *utf8, int len, int is_plain_text, char *lang_out, int *percent, int *is_reliable);

#ifdef __cplusplus
}
#endif

#endif
