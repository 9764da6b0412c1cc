import Foundation
import GGUF
import Testing

@testable import Engine

/// Reference data made by scripts/fixtures/gen_quant_fixtures.py from ggml (llama.cpp's x86 build)
/// and the `gguf` Python package's numpy dequantizers. All numbers are stored as raw little-endian
/// bytes (base64), so comparisons are bit for bit.
struct QuantFixtures: Decodable {
    struct Weight: Decodable, Sendable, CustomTestStringConvertible {
        let type: String
        let elements: Int
        let blocks: Data
        let dequantized: Data
        let activationType: String
        let activationInput: Data
        let activations: Data
        let dot: Data
        var testDescription: String { type }
    }
    struct Activation: Decodable, Sendable, CustomTestStringConvertible {
        let type: String
        let elements: Int
        let input: Data
        let encoded: Data
        var testDescription: String { type }
    }
    let weights: [Weight]
    let activations: [Activation]

    static let shared: QuantFixtures? = {
        guard
            let url = Bundle.module.url(forResource: "quant_fixtures", withExtension: "json", subdirectory: "Fixtures"),
            let data = try? Data(contentsOf: url)
        else { return nil }
        return try? JSONDecoder().decode(QuantFixtures.self, from: data)
    }()
}

extension Data {
    /// The bytes as little-endian f32 values.
    var littleEndianFloats: [Float] {
        stride(from: 0, to: count, by: 4).map { i in
            Float(bitPattern: self[startIndex + i..<startIndex + i + 4].reversed().reduce(0) { $0 << 8 | UInt32($1) })
        }
    }
}

/// GGMLType from a ggml type name.
func quantFixtureType(named name: String) -> GGMLType? { GGMLType.allCases.first { $0.name == name } }

@Suite("Quant kernels vs llama.cpp / gguf-py fixtures")
struct QuantFixtureTests {
    static let weights = QuantFixtures.shared?.weights ?? []
    static let activations = QuantFixtures.shared?.activations ?? []

    @Test func fixturesCoverEveryType() {
        #expect(Set(Self.weights.map(\.type)) == Set(QuantTraits.weightTypes.map(\.name)))
        #expect(Set(Self.activations.map(\.type)) == ["q8_0", "q8_1", "q8_K", "f16", "bf16"])
    }

    /// Reference and fast dequantization give exactly the gguf-py numpy values (which equal ggml's).
    @Test(arguments: weights)
    func dequantizationMatchesGGUFPy(_ w: QuantFixtures.Weight) throws {
        let traits = try #require(quantFixtureType(named: w.type).flatMap { QuantTraits($0) })
        let expected = w.dequantized.littleEndianFloats
        for reference in [true, false] {
            var out = [Float](repeating: .nan, count: w.elements)
            w.blocks.withUnsafeBytes { src in
                out.withUnsafeMutableBufferPointer {
                    traits.dequantize(src, count: w.elements, into: $0, reference: reference)
                }
            }
            let mismatches = (0..<w.elements).filter { out[$0].bitPattern != expected[$0].bitPattern }
            #expect(
                mismatches.isEmpty,
                "\(w.type) \(reference ? "ref" : "fast"): first mismatch at \(mismatches.first ?? -1)")
        }
    }

    /// Activation quantizers (reference and fast) encode exactly as ggml-cpu's x86 `from_float`,
    /// including all-zero blocks and round-half-to-even ties.
    @Test(arguments: activations)
    func activationEncodingMatchesLlamaCpp(_ a: QuantFixtures.Activation) throws {
        let traits = try #require(quantFixtureType(named: a.type).flatMap { QuantTraits($0) })
        let input = a.input.littleEndianFloats
        for reference in [true, false] {
            var out = [UInt8](repeating: 0xAA, count: a.encoded.count)
            input.withUnsafeBufferPointer { x in
                out.withUnsafeMutableBytes { traits.quantize(x, into: $0, reference: reference) }
            }
            let mismatch = zip(out, a.encoded).enumerated().first { $0.element.0 != $0.element.1 }?.offset
            #expect(mismatch == nil, "\(a.type) \(reference ? "ref" : "fast"): first differing byte \(mismatch ?? -1)")
        }
    }

    /// The activations fed to each dot product are what our own quantizer makes from the same floats.
    @Test(arguments: weights)
    func dotActivationsMatchOurQuantizer(_ w: QuantFixtures.Weight) throws {
        let act = try #require(quantFixtureType(named: w.activationType).flatMap { QuantTraits($0) })
        var out = [UInt8](repeating: 0, count: w.activations.count)
        w.activationInput.littleEndianFloats.withUnsafeBufferPointer { x in
            out.withUnsafeMutableBytes { act.quantize(x, into: $0) }
        }
        #expect(Data(out) == w.activations)
    }

    /// The fast dot product reproduces llama.cpp's x86 `vec_dot` bit for bit; the reference is within
    /// 1e-5 relative to the sum of |terms| (float accumulation order differs).
    @Test(arguments: weights)
    func dotProductMatchesLlamaCpp(_ w: QuantFixtures.Weight) throws {
        let traits = try #require(quantFixtureType(named: w.type).flatMap { QuantTraits($0) })
        let expected = w.dot.littleEndianFloats[0]
        let (fast, ref) = w.blocks.withUnsafeBytes { wb in
            w.activations.withUnsafeBytes { ab in
                (traits.dot(wb, ab, count: w.elements), traits.dot(wb, ab, count: w.elements, reference: true))
            }
        }
        #expect(fast.bitPattern == expected.bitPattern, "\(w.type): fast \(fast) vs llama.cpp \(expected)")
        let magnitude = zip(w.dequantized.littleEndianFloats, w.activationInput.littleEndianFloats).reduce(Float(0)) {
            $0 + abs($1.0 * $1.1)
        }
        #expect(abs(ref - expected) <= 1e-5 * magnitude, "\(w.type): ref \(ref) vs llama.cpp \(expected)")
    }
}
