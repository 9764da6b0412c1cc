import Foundation
import Testing

@testable import Engine

/// Both architectures in every weight type: tiny synthetic models (rebuilt here, see
/// `SyntheticModel`) against llama.cpp's logits for the same files (fixture made by
/// scripts/fixtures/model_synthetic_fixtures.py): an 8-token prefill, then two decoded tokens.
///
/// Tolerance: |logit - llama.cpp| <= 1e-3 * max(1, max |logit|). Our forward pass follows ggml's
/// rounding, so most models match exactly; llama.cpp's F32/F16/BF16 batched matmuls go through
/// its tiled GEMM (another summation order), which moves logits by a few ulps.
@Suite("Model: synthetic llama/qwen2 models in every tensor type match llama.cpp")
struct ModelSyntheticTests {
    struct Fixture: Decodable {
        struct Model: Decodable {
            let architecture: String
            let type: String
            let logits: [[Float]]
        }
        let prompt: [Int32]
        let decode: [Int32]
        let models: [Model]
    }

    static let fixture = try? ModelFixtures.decode(Fixture.self, from: "model_synthetic.json")
    static let cases: [String] = ["llama", "qwen2"].flatMap { arch in
        ["f32", "f16", "bf16", "q8_0", "q4_0", "q4_1", "q5_0", "q5_1", "q4_K", "q5_K", "q6_K"].map { "\(arch)/\($0)" }
    }

    @Test("logits match llama.cpp", arguments: cases)
    func logits(model name: String) throws {
        let fixture = try #require(Self.fixture)
        let parts = name.split(separator: "/").map(String.init)
        let expected = try #require(fixture.models.first { $0.architecture == parts[0] && $0.type == parts[1] })
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(
            "raif-synthetic-\(parts[0])-\(parts[1])-\(getpid()).gguf"
        ).path
        try SyntheticModel.write(architecture: parts[0], type: parts[1], to: path)
        defer { try? FileManager.default.removeItem(atPath: path) }

        let model = try TestModel(path: path, threads: 2, tokenCapacity: 16, logitCapacity: 1)
        #expect(model.config.architecture.rawValue == parts[0])
        let cache = model.newCache()
        var rows = [model.prefill(fixture.prompt, cache: cache)]
        for token in fixture.decode { rows.append(model.prefill([token], cache: cache)) }
        for (step, (got, want)) in zip(rows, expected.logits).enumerated() {
            let scale = max(1, want.map(abs).max() ?? 1)
            let worst = zip(got, want).map { abs($0 - $1) }.max() ?? .infinity
            #expect(worst <= 1e-3 * scale, "\(name) step \(step): max |diff| \(worst) (logit scale \(scale))")
        }
    }
}
