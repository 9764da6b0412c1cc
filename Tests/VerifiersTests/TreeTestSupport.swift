@testable import Verifiers

/// Parses JSON text into a ``ConstraintValue`` so specs in tests read like the wire format.
/// Test-only and strict enough for hand-written specs; a malformed literal is a test bug.
func spec(_ json: String) -> ConstraintValue {
    var parser = TestJSON(bytes: Array(json.utf8))
    parser.skip()
    let value = parser.value()
    parser.skip()
    precondition(parser.i == parser.bytes.count, "trailing text in test JSON: \(json)")
    return value
}

private struct TestJSON {
    let bytes: [UInt8]
    var i = 0

    mutating func skip() {
        while i < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[i]) { i += 1 }
    }

    mutating func value() -> ConstraintValue {
        skip()
        switch bytes[i] {
        case UInt8(ascii: "{"):
            i += 1
            var out: [String: ConstraintValue] = [:]
            skip()
            if bytes[i] == UInt8(ascii: "}") {
                i += 1
                return .object(out)
            }
            while true {
                skip()
                let key = string()
                skip()
                precondition(bytes[i] == UInt8(ascii: ":"))
                i += 1
                out[key] = value()
                skip()
                if bytes[i] == UInt8(ascii: ",") {
                    i += 1
                    continue
                }
                precondition(bytes[i] == UInt8(ascii: "}"))
                i += 1
                return .object(out)
            }
        case UInt8(ascii: "["):
            i += 1
            var out: [ConstraintValue] = []
            skip()
            if bytes[i] == UInt8(ascii: "]") {
                i += 1
                return .array(out)
            }
            while true {
                out.append(value())
                skip()
                if bytes[i] == UInt8(ascii: ",") {
                    i += 1
                    continue
                }
                precondition(bytes[i] == UInt8(ascii: "]"))
                i += 1
                return .array(out)
            }
        case UInt8(ascii: "\""):
            return .string(string())
        case UInt8(ascii: "t"):
            i += 4
            return .bool(true)
        case UInt8(ascii: "f"):
            i += 5
            return .bool(false)
        case UInt8(ascii: "n"):
            i += 4
            return .null
        default:
            let start = i
            while i < bytes.count, "-+.eE0123456789".utf8.contains(bytes[i]) { i += 1 }
            let text = String(decoding: bytes[start..<i], as: UTF8.self)
            if let integer = Int64(text) { return .integer(integer) }
            return .number(Double(text)!)
        }
    }

    mutating func string() -> String {
        precondition(bytes[i] == UInt8(ascii: "\""))
        i += 1
        var out: [UInt8] = []
        while bytes[i] != UInt8(ascii: "\"") {
            if bytes[i] == UInt8(ascii: "\\") {
                i += 1
                switch bytes[i] {
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "t"): out.append(0x09)
                default: out.append(bytes[i])
                }
            } else {
                out.append(bytes[i])
            }
            i += 1
        }
        i += 1
        return String(decoding: out, as: UTF8.self)
    }
}

/// Test-only verifiers with fully predictable behaviour, for composition tests.
enum TestVerifiers {
    /// `test:contains` — passes when the text contains `word` (case-sensitive); score 1/0.
    struct Contains: Verifier {
        var descriptor: VerifierDescriptor {
            VerifierDescriptor(
                id: "test:contains", family: .keyword, parameters: [ParameterSpec("word", .string)],
                summary: "contains a word")
        }

        func prepare(_ parameters: Parameters) throws(VerifierError) -> any Rule {
            guard let word = parameters.string("word"), !word.isEmpty else {
                throw parameters.invalid("word", "must not be empty")
            }
            return ClosureRule { response in
                let pass = response.text.contains(word)
                return Check(pass: pass, detail: pass ? "contains \(word)" : "lacks \(word)")
            }
        }
    }

    /// `test:score` — a fixed check result: `pass` and `score` as given.
    struct Fixed: Verifier {
        var descriptor: VerifierDescriptor {
            VerifierDescriptor(
                id: "test:score", family: .content,
                parameters: [ParameterSpec("pass", .boolean), ParameterSpec("score", .number)], summary: "fixed result")
        }

        func prepare(_ parameters: Parameters) throws(VerifierError) -> any Rule {
            let pass = parameters.bool("pass")!
            let score = parameters.number("score")!
            return ClosureRule { _ in Check(pass: pass, score: score, detail: "fixed") }
        }
    }

    /// `test:throws` — always throws an internal failure.
    struct Throwing: Verifier {
        var descriptor: VerifierDescriptor {
            VerifierDescriptor(id: "test:throws", family: .content, summary: "always fails to run")
        }

        func prepare(_ parameters: Parameters) throws(VerifierError) -> any Rule {
            let constraint = parameters.constraint
            return ClosureRule { _ throws(VerifierError) in
                throw .internalFailure(constraint: constraint, reason: "deliberate test failure")
            }
        }
    }

    /// `test:slow` — spins until the item's deadline has passed, checking it cooperatively, then
    /// reports the budget as exceeded; passes immediately when there is no deadline.
    struct Slow: Verifier {
        var descriptor: VerifierDescriptor {
            VerifierDescriptor(id: "test:slow", family: .content, summary: "runs out of time")
        }

        func prepare(_ parameters: Parameters) throws(VerifierError) -> any Rule {
            let constraint = parameters.constraint
            return ClosureRule { _ throws(VerifierError) in
                guard EvaluationBudget.deadline != nil else { return Check(pass: true, detail: "no deadline") }
                while true { try EvaluationBudget.check(constraint: constraint) }
            }
        }
    }

    /// The built-in registry plus the test verifiers.
    static let registry: VerifierRegistry = {
        var registry = VerifierRegistry.builtin
        for verifier: any Verifier in [Contains(), Fixed(), Throwing(), Slow()] {
            try! registry.register(verifier)
        }
        return registry
    }()
}

/// Parses a spec with the test registry (a failure is a test bug).
func tree(_ json: String) throws -> ConstraintTree {
    try ConstraintTree.parse(spec(json), registry: TestVerifiers.registry)
}

/// Evaluates the single top-level node of a spec on a text.
func verdict(_ json: String, on text: String) throws -> VerdictNode {
    let parsed = try tree(json)
    return TreeEvaluator().evaluate(parsed.constraints[0], on: ResponseText(text))
}
