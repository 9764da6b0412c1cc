import Engine
import Foundation
import GGUF

/// Loads the tokenizer fixtures (made by scripts/fixtures/tok_generate.py with llama.cpp).
enum TokenizerFixtures {
    static func data(_ name: String) throws -> Data {
        guard let url = Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Fixtures") else {
            throw FixtureMissing(name: name)
        }
        return try Data(contentsOf: url)
    }

    struct FixtureMissing: Error, CustomStringConvertible {
        let name: String
        var description: String { "fixture \(name).json is missing from the test bundle" }
    }

    struct Corpus: Decodable {
        let corpus: [String]
    }

    struct Expected: Decodable {
        /// `llama_tokenize(add_special: true, parse_special: true)` per corpus entry.
        let special: [[Int32]]
        /// `llama_tokenize(add_special: false, parse_special: false)` per corpus entry.
        let plain: [[Int32]]
    }

    struct TinyVocabulary: Decodable {
        let pre: String?
        let model: String?
        let scores: [Float]?
        let tokens: [String]
        let tokenTypes: [Int32]
        let merges: [String]
        let bosTokenId: Int32
        let eosTokenId: Int32
        let addBosToken: Bool
        let expected: Expected
        let piecesSpecial: [[UInt8]]
        let piecesPlain: [[UInt8]]
        let eogIds: [Int32]
        let llamaCppAddBos: Bool

        enum CodingKeys: String, CodingKey {
            case pre, model, scores, tokens, merges, expected
            case tokenTypes = "token_types"
            case bosTokenId = "bos_token_id"
            case eosTokenId = "eos_token_id"
            case addBosToken = "add_bos_token"
            case piecesSpecial = "pieces_special"
            case piecesPlain = "pieces_plain"
            case eogIds = "eog_ids"
            case llamaCppAddBos = "llama_cpp_add_bos"
        }

        func tokenizer() throws -> Tokenizer {
            if model == "llama" {
                return try Tokenizer(
                    sentencePieceVocabulary: tokens, scores: scores, tokenTypes: tokenTypes,
                    specialIDs: SpecialTokenIDs(bos: bosTokenId, eos: eosTokenId, unknown: 0), addBOS: nil)
            }
            return try Tokenizer(
                vocabulary: tokens, merges: merges, tokenTypes: tokenTypes,
                specialIDs: SpecialTokenIDs(bos: bosTokenId, eos: eosTokenId), preTokenizer: pre ?? "",
                addBOS: addBosToken)
        }
    }

    struct SmolLM2: Decodable {
        let model: String
        let expected: Expected
        let pieceIds: [Int32]
        let piecesSpecial: [[UInt8]]
        let piecesPlain: [[UInt8]]
        let eogIds: [Int32]
        let addBos: Bool

        enum CodingKeys: String, CodingKey {
            case model, expected
            case pieceIds = "piece_ids"
            case piecesSpecial = "pieces_special"
            case piecesPlain = "pieces_plain"
            case eogIds = "eog_ids"
            case addBos = "add_bos"
        }
    }

    static let corpus: [String] = {
        (try? JSONDecoder().decode(Corpus.self, from: data("tok_corpus")).corpus) ?? []
    }()

    static func tiny(_ pre: String) throws -> TinyVocabulary {
        try JSONDecoder().decode(TinyVocabulary.self, from: data("tok_vocab_\(pre)"))
    }

    static func smolLM2() throws -> SmolLM2 {
        try JSONDecoder().decode(SmolLM2.self, from: data("tok_smollm2"))
    }

    /// The default model: `RAIF_MODEL` or ~/.cache/raif/models/SmolLM2-135M-Instruct.Q4_1.gguf, if present.
    static let modelPath: String? = {
        let path =
            ProcessInfo.processInfo.environment["RAIF_MODEL"]
            ?? (NSHomeDirectory() + "/.cache/raif/models/SmolLM2-135M-Instruct.Q4_1.gguf")
        return FileManager.default.fileExists(atPath: path) ? path : nil
    }()

    /// The default model's tokenizer, loaded once.
    static let modelTokenizer: Tokenizer? = {
        guard let modelPath, let file = try? GGUFFile(path: modelPath) else { return nil }
        return try? Tokenizer(gguf: file)
    }()

    /// Tiny vocabularies: the byte-level BPE pre-tokenizer families, then SentencePiece.
    static let families = ["smollm", "gpt-2", "qwen2", "llama-bpe", "deepseek-r1-qwen", "spm"]
}
