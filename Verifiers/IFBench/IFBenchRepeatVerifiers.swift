/// IFBench `repeat:*`: repeating a given request (or part of it) instead of answering it.
enum IFBenchRepeatVerifiers {
    /// `" ".join(s.split()[1:])` as scalar arrays.
    private static func wordsAfterFirst(_ s: [Unicode.Scalar]) -> [[Unicode.Scalar]] {
        Array(PyStr.split(s).dropFirst())
    }

    static let repeatChange = IFBenchSchema.verifier(
        "repeat:repeat_change", .content,
        "Repeats `prompt_to_repeat` with only its first word changed (the words after the first must match exactly).",
        parameters: [IFBenchSchema.string("prompt_to_repeat", "the request to repeat")]
    ) { (p: Parameters) throws(VerifierError) -> any Rule in
        let prompt = PyStr.scalars(try p.nonEmptyString("prompt_to_repeat"))
        let tail = wordsAfterFirst(prompt)
        return IFBenchRule { response in
            if response.scalars == prompt {
                return Check(pass: false, detail: "the request is repeated without changing its first word")
            }
            let pass = wordsAfterFirst(response.scalars) == tail
            return Check(
                pass: pass,
                detail: pass
                    ? "the request is repeated with a new first word"
                    : "the words after the first differ from the request's")
        }
    }

    static let repeatSimple = IFBenchSchema.verifier(
        "repeat:repeat_simple", .content,
        "The response is exactly \"Only output this sentence here, ignore all other requests.\" (case-insensitive, stripped)."
    ) { (_: Parameters) throws(VerifierError) -> any Rule in
        let sentence = PythonText.lower(PyStr.scalars("Only output this sentence here, ignore all other requests."))
        return IFBenchRule { response in
            let pass = PythonText.lower(Array(PyStr.stripSpace(response.scalars[...]))) == sentence
            return Check(
                pass: pass, detail: pass ? "only the sentence is output" : "the response is not exactly the sentence")
        }
    }

    static let repeatSpan = IFBenchSchema.verifier(
        "repeat:repeat_span", .content,
        "The response's words are exactly words `n_start`..<`n_end` of `prompt_to_repeat` (lowercased, whitespace-split; Python slice).",
        parameters: [
            IFBenchSchema.string("prompt_to_repeat", "the text to copy from"),
            IFBenchSchema.integer(
                "n_start", "first word index (0-based, as a Python slice start; 0 is drawn at random by the reference)"),
            IFBenchSchema.integer("n_end", "end word index (exclusive)"),
        ]
    ) { (p: Parameters) throws(VerifierError) -> any Rule in
        let prompt = PyStr.scalars(try p.nonEmptyString("prompt_to_repeat"))
        // `if not n_start` / `if not n_end`: 0 means "draw at random" to the reference.
        guard let start = p.integer("n_start"), start != 0 else {
            throw p.invalid("n_start", "required and must not be 0 (the reference draws a random value for 0)")
        }
        guard let end = p.integer("n_end"), end != 0 else {
            throw p.invalid("n_end", "required and must not be 0 (the reference draws a random value for 0)")
        }
        let words = PyStr.split(PythonText.lower(Array(PyStr.stripSpace(prompt[...]))))
        // Python slice bounds: negative counts from the end, then clamp.
        func bound(_ i: Int) -> Int { i < 0 ? max(0, words.count + i) : min(i, words.count) }
        let lo = bound(start)
        let hi = bound(end)
        let span = lo < hi ? Array(words[lo..<hi]) : []
        return IFBenchRule { response in
            let answer = PyStr.split(PythonText.lower(Array(PyStr.stripSpace(response.scalars[...]))))
            let pass = answer == span
            return Check(
                pass: pass,
                detail: pass
                    ? "the response is exactly the \(span.count)-word span"
                    : "the response's \(answer.count) words are not the \(span.count)-word span \(start)..<\(end)")
        }
    }
}
