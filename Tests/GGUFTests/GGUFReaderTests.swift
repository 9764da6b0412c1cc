import Foundation
import GGUF
import Testing

/// Opens `bytes` as a GGUF file and returns the error it is rejected with (nil if accepted).
private func openError(_ bytes: [UInt8]) -> GGUFError? {
    let path = temporaryFile(bytes)
    defer { unlink(path) }
    do {
        _ = try GGUFFile(path: path)
        return nil
    } catch {
        return error
    }
}

@Suite("GGUF reader: valid files")
struct GGUFValidFileTests {
    let file: GGUFFile

    init() throws {
        let (bytes, _) = GGUFBuilder.valid().build()
        let path = temporaryFile(bytes)
        file = try GGUFFile(path: path)
        unlink(path)  // the mapping stays valid after unlinking
    }

    @Test func header() {
        #expect(file.version == 3)
        #expect(file.alignment == 32)
        #expect(file.architecture == "llama")
        #expect(file.metadataKeys.first == "general.architecture")
        #expect(file.metadata.count == 11)
    }

    @Test func typedGettersWiden() {
        #expect(file.uint32("llama.block_count") == 2)
        #expect(file.int("llama.block_count") == 2)
        #expect(file.int("test.i8") == -2)
        #expect(file.uint32("test.i8") == nil)  // negative does not fit
        #expect(file.int("test.u16") == 0x1234)
        #expect(file.int64("test.i64") == -5)
        #expect(file.float32("test.f32") == 1.5)
        #expect(file.float32("test.f64") == -2.25)
        #expect(file.float64("test.f32") == 1.5)
        #expect(file.bool("test.bool") == true)
        #expect(file.string("llama.block_count") == nil)
        #expect(file.uint32("absent") == nil)
        #expect(file["test.u16"] == .uint16(0x1234))
    }

    @Test func arrays() throws {
        #expect(file.stringArray("test.tokens") == ["a", "bc", "", "Ġd"])
        #expect(file.array("test.tokens")?.stringBytes?[3] == Array("Ġd".utf8))
        #expect(file.int32Array("test.ids") == [7, -1, 9])
        #expect(file.intArray("test.ids") == [7, -1, 9])
        #expect(file.float32Array("test.ids") == nil)
        #expect(file.stringArray("test.ids") == nil)
        let nested = try #require(file.array("test.nested"))
        #expect(nested.elementType == .array && nested.count == 2)
        guard case .array(let first) = nested.values[0], case .array(let second) = nested.values[1] else {
            Issue.record("nested elements are not arrays")
            return
        }
        #expect(first.values == [.uint8(1), .uint8(2)])
        #expect(second.strings == ["x"])
    }

    @Test func tensors() throws {
        #expect(file.tensors.map(\.name) == ["w.f32", "w.q8"])
        let f = try #require(file.tensor(named: "w.f32"))
        #expect(f.dims == [4, 2] && f.type == .f32 && f.byteCount == 32 && f.rowCount == 2 && f.rowLength == 4)
        let q = try #require(file.tensor(named: "w.q8"))
        #expect(q.type == .q8_0 && q.byteCount == 34 && q.offset == 32)
        #expect(Array(file.data(for: f)) == (0..<32).map { UInt8($0) })
        #expect(Array(file.data(for: q)) == (0..<34).map { UInt8(100 + $0) })
        #expect(file.tensor(named: "nope") == nil)
        #expect(file.dataOffset % 32 == 0)
    }

    @Test func version2AndCustomAlignment() throws {
        var b = GGUFBuilder.valid()
        b.version = 2
        b.add("general.alignment", uint32: 64)
        b.alignment = 64
        b.tensors[1].offset = 64
        b.data = [UInt8](repeating: 1, count: 64) + [UInt8](repeating: 2, count: 34)
        let path = temporaryFile(b.build().bytes)
        defer { unlink(path) }
        let file = try GGUFFile(path: path)
        #expect(file.version == 2 && file.alignment == 64 && file.dataOffset % 64 == 0)
        #expect(Array(file.data(for: file.tensors[1])) == [UInt8](repeating: 2, count: 34))
    }
}

@Suite("GGUF reader: malformed files")
struct GGUFMalformedFileTests {
    /// Every prefix of a valid file is rejected with an error, never a crash; cutting exactly at a
    /// field boundary or inside one names a truncation (or data out of range for the data section).
    @Test func everyTruncationIsRejected() {
        let (bytes, boundaries) = GGUFBuilder.valid().build()
        for length in 0..<bytes.count {
            let error = openError(Array(bytes.prefix(length)))
            switch error {
            case .truncated?, .stringBeyondFile?, .countTooLarge?, .tensorDataOutOfRange?:
                break
            default:
                Issue.record(
                    "prefix of \(length) bytes (boundary: \(boundaries.contains(length))) gave \(String(describing: error))"
                )
            }
        }
        #expect(openError(bytes) == nil)
    }

    @Test func truncatedHeaderNamesField() {
        let (bytes, _) = GGUFBuilder.valid().build()
        #expect(openError([]) == .truncated(what: "magic", offset: 0, needed: 4, available: 0))
        #expect(openError(Array(bytes.prefix(6))) == .truncated(what: "version", offset: 4, needed: 4, available: 2))
        #expect(
            openError(Array(bytes.prefix(16)))
                == .truncated(what: "metadata count", offset: 16, needed: 8, available: 0))
    }

    /// A corruption and the specific error it must produce.
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let mutate: @Sendable (inout GGUFBuilder) -> Void
        let expected: @Sendable (GGUFError) -> Bool
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "bad magic", mutate: { $0.magic = Array("GGML".utf8) }) {
            $0 == .badMagic(found: 0x4C4D_4747)
        },
        Case(name: "version 1", mutate: { $0.version = 1 }) { $0 == .unsupportedVersion(1) },
        Case(name: "version 4", mutate: { $0.version = 4 }) { $0 == .unsupportedVersion(4) },
        Case(name: "big-endian version", mutate: { $0.version = 0x0300_0000 }) {
            $0 == .unsupportedVersion(0x0300_0000)
        },
        Case(name: "huge key length", mutate: { $0.kvs[0].keyLength = 1 << 62 }) {
            if case .stringBeyondFile(let what, let offset, let length, _) = $0 {
                return what == "metadata key 0" && offset == 24 && length == 1 << 62
            }
            return false
        },
        Case(name: "huge string value length", mutate: { $0.kvs[0].payload = GGUFBuilder.u64(UInt64.max) }) {
            if case .stringBeyondFile(let what, _, let length, _) = $0 {
                return what == "string value of 'general.architecture'" && length == UInt64.max
            }
            return false
        },
        Case(name: "huge metadata count", mutate: { $0.kvCountOverride = 1 << 60 }) {
            if case .countTooLarge(let what, let count, _) = $0 { return what == "metadata" && count == 1 << 60 }
            return false
        },
        Case(name: "huge tensor count", mutate: { $0.tensorCountOverride = UInt64.max }) {
            if case .countTooLarge(let what, _, _) = $0 { return what == "tensor" }
            return false
        },
        Case(
            name: "huge array count",
            mutate: { $0.add("big", type: 9, payload: GGUFBuilder.u32(4) + GGUFBuilder.u64(1 << 40)) }
        ) {
            if case .countTooLarge(let what, let count, _) = $0 { return what == "array 'big'" && count == 1 << 40 }
            return false
        },
        Case(name: "unknown value type", mutate: { $0.kvs[1].type = 13 }) {
            $0 == .unknownValueType(13, key: "llama.block_count")
        },
        Case(
            name: "unknown array element type",
            mutate: { $0.add("arr", type: 9, payload: GGUFBuilder.u32(99) + GGUFBuilder.u64(0)) }
        ) {
            $0 == .unknownValueType(99, key: "arr")
        },
        Case(name: "invalid UTF-8 key", mutate: { $0.kvs[1].key = [0x66, 0xff, 0x66] }) {
            if case .invalidUTF8(let what, _) = $0 { return what == "metadata key 1" }
            return false
        },
        Case(name: "duplicate key", mutate: { $0.add("llama.block_count", uint32: 3) }) {
            $0 == .duplicateKey("llama.block_count")
        },
        Case(name: "alignment zero", mutate: { $0.add("general.alignment", uint32: 0) }) {
            $0 == .invalidAlignment(key: "general.alignment")
        },
        Case(name: "alignment not power of two", mutate: { $0.add("general.alignment", uint32: 48) }) {
            $0 == .invalidAlignment(key: "general.alignment")
        },
        Case(name: "alignment wrong type", mutate: { $0.add("general.alignment", string: "32") }) {
            $0 == .invalidAlignment(key: "general.alignment")
        },
        Case(name: "unknown tensor type", mutate: { $0.tensors[0].type = 4 }) {
            $0 == .unknownTensorType(4, tensor: "w.f32")
        },
        Case(name: "too many dimensions", mutate: { $0.tensors[0].dims = [1, 1, 1, 1, 1] }) {
            $0 == .tooManyDimensions(5, tensor: "w.f32")
        },
        Case(name: "dimension product overflows", mutate: { $0.tensors[0].dims = [1 << 40, 1 << 40] }) {
            $0 == .invalidDimensions([1 << 40, 1 << 40], tensor: "w.f32")
        },
        Case(name: "negative dimension", mutate: { $0.tensors[0].dims = [UInt64.max, 1] }) {
            $0 == .invalidDimensions([UInt64.max, 1], tensor: "w.f32")
        },
        Case(name: "row not whole blocks", mutate: { $0.tensors[1].dims = [33] }) {
            $0 == .invalidDimensions([33], tensor: "w.q8")
        },
        Case(name: "misaligned offset", mutate: { $0.tensors[1].offset = 40 }) {
            $0 == .misalignedOffset(tensor: "w.q8", offset: 40, alignment: 32)
        },
        Case(name: "offset out of range", mutate: { $0.tensors[1].offset = 1 << 50 }) {
            $0 == .tensorDataOutOfRange(tensor: "w.q8", offset: 1 << 50, byteCount: 34, dataSectionSize: 66)
        },
        Case(name: "tensor runs past the end", mutate: { $0.data.removeLast() }) {
            $0 == .tensorDataOutOfRange(tensor: "w.q8", offset: 32, byteCount: 34, dataSectionSize: 65)
        },
        Case(name: "tensor larger than the file", mutate: { $0.tensors[0].dims = [1 << 30, 4] }) {
            $0 == .tensorDataOutOfRange(tensor: "w.f32", offset: 0, byteCount: 1 << 34, dataSectionSize: 66)
        },
        Case(name: "duplicate tensor", mutate: { $0.tensors[1].name = Array("w.f32".utf8) }) {
            $0 == .duplicateTensor("w.f32")
        },
        Case(name: "huge tensor name length", mutate: { $0.tensors[1].nameLength = 1 << 33 }) {
            if case .stringBeyondFile(let what, _, let length, _) = $0 {
                return what == "name of tensor 1" && length == 1 << 33
            }
            return false
        },
    ]

    @Test(arguments: cases)
    func corruptionGivesSpecificError(_ c: Case) {
        var b = GGUFBuilder.valid()
        c.mutate(&b)
        let error = openError(b.build().bytes)
        #expect(error.map(c.expected) == true, "\(c.name): got \(String(describing: error))")
    }

    @Test func missingFile() {
        #expect(throws: GGUFError.cannotOpen(path: "/nonexistent/x.gguf", errno: ENOENT)) {
            try GGUFFile(path: "/nonexistent/x.gguf")
        }
    }

    @Test func errorsDescribeTheProblem() {
        #expect(GGUFError.badMagic(found: 0x4C4D_4747).description.contains("not a GGUF file"))
        #expect(
            GGUFError.misalignedOffset(tensor: "t", offset: 3, alignment: 32).description.contains("'t'"))
    }
}
