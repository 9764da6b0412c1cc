import Foundation
import Testing

@testable import Verifiers

/// One reference verdict: a response judged against one IFEval instruction by the Python checkers.
struct ConformanceRecord: Decodable, Sendable {
    var id: String
    var instructionID: String
    var kwargs: [String: JSONValue]
    var prompt: String
    var response: String
    var strict: Bool
    var loose: Bool
    var source: String?
    enum CodingKeys: String, CodingKey {
        case id, kwargs, prompt, response, strict, loose, source
        case instructionID = "instruction_id"
    }
}

/// A JSON value for decoding fixtures into ``ConstraintValue``s.
enum JSONValue: Decodable, Sendable {
    case null, bool(Bool), integer(Int64), number(Double), string(String)
    case array([JSONValue]), object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let b = try? container.decode(Bool.self) {
            self = .bool(b)
        } else if let i = try? container.decode(Int64.self) {
            self = .integer(i)
        } else if let d = try? container.decode(Double.self) {
            self = .number(d)
        } else if let s = try? container.decode(String.self) {
            self = .string(s)
        } else if let a = try? container.decode([JSONValue].self) {
            self = .array(a)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    var constraintValue: ConstraintValue {
        switch self {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .integer(let i): return .integer(i)
        case .number(let d): return .number(d)
        case .string(let s): return .string(s)
        case .array(let a): return .array(a.map(\.constraintValue))
        case .object(let o): return .object(o.mapValues(\.constraintValue))
        }
    }
}

/// Our strict and loose verdicts for a record, next to the reference's.
struct ConformanceOutcome: Sendable {
    var record: ConformanceRecord
    var strict: Bool
    var loose: Bool
    var detail: String
    var error: String?

    var strictAgrees: Bool { error == nil && strict == record.strict }
    var looseAgrees: Bool { error == nil && loose == record.loose }
}

enum Conformance {
    static func loadRecords(_ url: URL) throws -> [ConformanceRecord] {
        let data = try Data(contentsOf: url)
        let decoder = JSONDecoder()
        var out: [ConformanceRecord] = []
        for line in data.split(separator: UInt8(ascii: "\n")) where !line.isEmpty {
            out.append(try decoder.decode(ConformanceRecord.self, from: Data(line)))
        }
        return out
    }

    /// Checks a record the way the reference does: strict on the response, loose on its 8 variants.
    static func run(_ record: ConformanceRecord, registry: VerifierRegistry = .builtin) -> ConformanceOutcome {
        let parameters = record.kwargs.mapValues(\.constraintValue)
        do {
            let rule = try registry.prepare(record.instructionID, parameters: parameters)
            let strictCheck = try rule.check(ResponseText(record.response, prompt: record.prompt))
            var loose = false
            for variant in ResponseVariants.loose(record.response) {
                if try rule.check(ResponseText(variant, prompt: record.prompt)).pass {
                    loose = true
                    break
                }
            }
            return ConformanceOutcome(
                record: record, strict: strictCheck.pass, loose: loose, detail: strictCheck.detail)
        } catch {
            return ConformanceOutcome(record: record, strict: false, loose: false, detail: "", error: error.message)
        }
    }

    /// An agreement table per instruction id, plus the overall figures.
    static func table(_ outcomes: [ConformanceOutcome]) -> (text: String, strict: Double, loose: Double) {
        var byID: [String: (n: Int, strict: Int, loose: Int)] = [:]
        for outcome in outcomes {
            var row = byID[outcome.record.instructionID, default: (0, 0, 0)]
            row.n += 1
            if outcome.strictAgrees { row.strict += 1 }
            if outcome.looseAgrees { row.loose += 1 }
            byID[outcome.record.instructionID] = row
        }
        func pct(_ a: Int, _ n: Int) -> String {
            let value = n == 0 ? 0 : 100 * Double(a) / Double(n)
            return String(format: "%6.2f%%", value)
        }
        var lines = ["instruction id                                   records   strict    loose"]
        var total = (n: 0, strict: 0, loose: 0)
        for id in byID.keys.sorted() {
            let row = byID[id]!
            total.n += row.n
            total.strict += row.strict
            total.loose += row.loose
            lines.append(
                id.padding(toLength: 48, withPad: " ", startingAt: 0) + String(format: "%8d", row.n) + "  "
                    + pct(row.strict, row.n) + "  " + pct(row.loose, row.n))
        }
        lines.append(
            "overall".padding(toLength: 48, withPad: " ", startingAt: 0) + String(format: "%8d", total.n) + "  "
                + pct(total.strict, total.n) + "  " + pct(total.loose, total.n))
        let n = Double(max(total.n, 1))
        return (lines.joined(separator: "\n"), Double(total.strict) / n, Double(total.loose) / n)
    }

    /// Per-id agreement fractions (strict, loose).
    /// Writes every disagreeing outcome as a JSON line to `$RAIF_CONFORMANCE_DUMP`, when it is set.
    static func dumpDisagreements(_ outcomes: [ConformanceOutcome]) throws {
        guard let dump = ProcessInfo.processInfo.environment["RAIF_CONFORMANCE_DUMP"] else { return }
        var lines: [String] = []
        for o in outcomes where !o.strictAgrees || !o.looseAgrees {
            let item: [String: Any] = [
                "id": o.record.id, "instruction_id": o.record.instructionID, "ref_strict": o.record.strict,
                "ref_loose": o.record.loose, "strict": o.strict, "loose": o.loose, "detail": o.detail,
                "error": o.error ?? "",
            ]
            let data = try JSONSerialization.data(withJSONObject: item, options: [.sortedKeys])
            lines.append(String(decoding: data, as: UTF8.self))
        }
        try lines.joined(separator: "\n").write(toFile: dump, atomically: true, encoding: .utf8)
    }

    static func perID(_ outcomes: [ConformanceOutcome]) -> [String: (strict: Double, loose: Double)] {
        var counts: [String: (Int, Int, Int)] = [:]
        for o in outcomes {
            var c = counts[o.record.instructionID, default: (0, 0, 0)]
            c.0 += 1
            if o.strictAgrees { c.1 += 1 }
            if o.looseAgrees { c.2 += 1 }
            counts[o.record.instructionID] = c
        }
        return counts.mapValues { (Double($0.1) / Double($0.0), Double($0.2) / Double($0.0)) }
    }
}
