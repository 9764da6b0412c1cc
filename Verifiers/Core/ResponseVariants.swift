/// The response variants IFEval's loose mode tries.
public enum ResponseVariants {
    /// IFEval's 8 loose-mode variants, in the reference's order.
    ///
    /// The reference splits on `"\n"`, builds the response without its first line, without its
    /// last line and without both (each stripped with Python's `str.strip()`), then each of the
    /// four with every `*` removed:
    /// `[response, response − "*", −first, −last, −both, −first − "*", −last − "*", −both − "*"]`.
    /// A variant that is blank after stripping never passes (the reference's `r.strip() and …`);
    /// IFEval rules fail blank text themselves, so a caller may simply check all eight.
    public static func loose(_ text: String) -> [String] {
        // Python's "\n".join(r[1:]) etc. on r = text.split("\n"), done on byte offsets.
        let utf8 = text.utf8
        let first = utf8.firstIndex(of: 0x0A)
        let last = utf8.lastIndex(of: 0x0A)
        var removeFirst = ""
        var removeLast = ""
        var removeBoth = ""
        if let first, let last {
            let scalars = text.unicodeScalars
            let afterFirst = utf8.index(after: first)
            removeFirst = PythonText.strip(String(scalars[afterFirst...]))
            removeLast = PythonText.strip(String(scalars[..<last]))
            if first != last {
                removeBoth = PythonText.strip(String(scalars[afterFirst..<last]))
            }
        }
        func noStars(_ s: String) -> String {
            guard s.utf8.contains(UInt8(ascii: "*")) else { return s }
            // '*' is ASCII, so dropping its bytes keeps the UTF-8 valid (and is ~50x faster than
            // appending scalar by scalar).
            return String(decoding: s.utf8.filter { $0 != UInt8(ascii: "*") }, as: UTF8.self)
        }
        return [
            text, noStars(text), removeFirst, removeLast, removeBoth,
            noStars(removeFirst), noStars(removeLast), noStars(removeBoth),
        ]
    }
}
