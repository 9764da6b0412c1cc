internal import GGUF

/// What a loaded model is: reported by `health` and `raif generate --verbose`.
public struct ModelInfo: Sendable, Equatable {
    /// Path the model was loaded from.
    public let path: String
    /// `general.architecture` (`llama` or `qwen2`).
    public let architecture: String
    /// `general.name`, when present.
    public let name: String?
    /// Elements of all tensors.
    public let parameterCount: Int
    /// Quantization as llama.cpp names the file type (`Q4_1`, `Q4_K_M`, `F16` ...).
    public let quantization: String
    /// Bytes of the GGUF file.
    public let fileSize: Int
    /// Context length the model was trained for (the engine's limit for prompt + generated tokens).
    public let contextLength: Int
    /// Rows of the embedding matrix.
    public let vocabularySize: Int
    public let embeddingLength: Int
    public let layerCount: Int
    public let headCount: Int
    public let headCountKV: Int
    /// The recognised chat template family (`chatml`, `deepseek-r1`, `llama3`), nil when unrecognised.
    public let chatTemplateFamily: String?
    /// Worker threads of the forward pass.
    public let threads: Int

    /// llama.cpp's `llama_ftype` names, by `general.file_type`.
    static func fileTypeName(_ fileType: Int?, file: GGUFFile) -> String {
        let names: [Int: String] = [
            0: "F32", 1: "F16", 2: "Q4_0", 3: "Q4_1", 7: "Q8_0", 8: "Q5_0", 9: "Q5_1", 10: "Q2_K", 11: "Q3_K_S",
            12: "Q3_K_M", 13: "Q3_K_L", 14: "Q4_K_S", 15: "Q4_K_M", 16: "Q5_K_S", 17: "Q5_K_M", 18: "Q6_K", 32: "BF16",
        ]
        if let fileType, let name = names[fileType] { return name }
        // No (known) file type: the most common type among the matrices.
        var counts: [String: Int] = [:]
        for t in file.tensors where t.dims.count >= 2 { counts[t.type.name.uppercased(), default: 0] += t.elementCount }
        return counts.max { $0.value < $1.value }?.key ?? "unknown"
    }
}
