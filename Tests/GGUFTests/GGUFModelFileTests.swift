import Foundation
import GGUF
import Testing

/// The default model (RAIF_MODEL or ~/.cache/raif/models/SmolLM2-135M-Instruct.Q4_1.gguf), if present.
private let defaultModelPath: String? = {
    let env = ProcessInfo.processInfo.environment
    let path =
        env["RAIF_MODEL"]
        ?? FileManager.default.homeDirectoryForCurrentUser
        .appendingPathComponent(".cache/raif/models/SmolLM2-135M-Instruct.Q4_1.gguf").path
    return FileManager.default.fileExists(atPath: path) ? path : nil
}()

/// Expected values read from the file with the `gguf` Python package (GGUFReader).
@Suite("GGUF reader: SmolLM2-135M-Instruct Q4_1", .enabled(if: defaultModelPath != nil, "default model not installed"))
struct GGUFModelFileTests {
    let file: GGUFFile

    init() throws {
        file = try GGUFFile(path: defaultModelPath!)
    }

    @Test func headerAndHyperParameters() {
        #expect(file.version == 3)
        #expect(file.metadata.count == 33)
        #expect(file.tensors.count == 272)
        #expect(file.architecture == "llama")
        #expect(file.uint32("llama.block_count") == 30)
        #expect(file.uint32("llama.context_length") == 8192)
        #expect(file.uint32("llama.embedding_length") == 576)
        #expect(file.uint32("llama.feed_forward_length") == 1536)
        #expect(file.uint32("llama.attention.head_count") == 9)
        #expect(file.uint32("llama.attention.head_count_kv") == 3)
        #expect(file.float32("llama.rope.freq_base") == 100000)
        #expect(file.float32("llama.attention.layer_norm_rms_epsilon") == 1e-5)
        #expect(file.string("tokenizer.ggml.pre") == "smollm")
        #expect(file.bool("tokenizer.ggml.add_bos_token") == false)
        #expect(file.int("tokenizer.ggml.eos_token_id") == 2)
        #expect(file.string("tokenizer.chat_template")?.utf8.count == 368)
        #expect(file.stringArray("general.languages") == ["en"])
    }

    @Test func tokenizerArrays() throws {
        let tokens = try #require(file.stringArray("tokenizer.ggml.tokens"))
        #expect(tokens.count == 49152)
        #expect(Array(tokens.prefix(3)) == ["<|endoftext|>", "<|im_start|>", "<|im_end|>"])
        let merges = try #require(file.stringArray("tokenizer.ggml.merges"))
        #expect(merges.count == 48900)
        #expect(Array(merges.prefix(3)) == ["Ġ t", "Ġ a", "i n"])
        #expect(file.int32Array("tokenizer.ggml.token_type")?.count == 49152)
    }

    @Test func tensorDirectory() throws {
        let counts = Dictionary(grouping: file.tensors, by: \.type).mapValues(\.count)
        #expect(counts == [.q4_1: 210, .f32: 61, .q8_0: 1])
        let embd = try #require(file.tensor(named: "token_embd.weight"))
        #expect(embd.dims == [576, 49152] && embd.type == .q8_0 && embd.offset == 0 && embd.byteCount == 30_081_024)
        #expect(file.dataOffset == 1_785_664)
        let down = try #require(file.tensor(named: "blk.0.ffn_down.weight"))
        #expect(down.dims == [1536, 576] && down.type == .q4_1 && down.byteCount == 552_960)
        #expect(down.offset == 31_868_992 - 1_785_664)
        #expect(down.rowByteCount == 1536 / 32 * 20)
        let last = file.tensors.max { $0.offset < $1.offset }!
        #expect(file.dataOffset + last.offset + last.byteCount <= file.fileSize)
        #expect(file.data(for: down).count == 552_960)
    }
}
