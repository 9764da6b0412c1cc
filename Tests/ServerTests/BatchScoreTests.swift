import Testing
import WireProtocol

@testable import Server

/// `raif score`'s core: a JSONL stream in, scored lines out in order, error lines, the summary.
@Suite("Batch scoring", .timeLimit(.minutes(2)))
struct BatchScoreTests {
    /// Seven input lines (one blank, one not JSON, one with an unknown id), in every accepted shape.
    static let input: [String] = [
        #"{"prompt": "p", "response": "hello world", "instruction_id_list": ["punctuation:no_comma", "change_case:english_lowercase"], "kwargs": [{}, {}]}"#,
        #"{"response": "Hello, world", "constraints": {"instruction_id_list": ["punctuation:no_comma"], "kwargs": [null]}}"#,
        #"{oops"#,
        "   ",
        #"{"response": "a cat", "ground_truth": "[{\"instruction_id\": [\"keywords:existence\"], \"kwargs\": [{\"keywords\": [\"cat\"]}]}]"}"#,
        #"{"response": "x", "instruction_id_list": ["no:such_id"], "kwargs": [{}]}"#,
        #"{"response": "a dog", "ground_truth": "[{'instruction_id': ['keywords:existence'], 'kwargs': [{'keywords': ['cat']}]}]"}"#,
    ]

    /// (index, followed list, or the error code) expected per output line, hand-checked.
    static let expected: [(index: Int, follow: [Bool]?, errorCode: Int?)] = [
        (0, [true, true], nil),
        (1, [false], nil),
        (2, nil, -32700),
        (3, [true], nil),
        (4, nil, -32602),
        (5, [false], nil),
    ]

    static func run(workers: Int, chunkSize: Int) async throws -> ([JSONValue], BatchSummary, [Int]) {
        let scorer = try BatchScorer(workers: workers, chunkSize: chunkSize)
        var output: [JSONValue] = []
        var progress: [Int] = []
        let summary = try await scorer.score(
            lines: input.map { Array($0.utf8) },
            write: { (line: [UInt8]) throws(ServerError) in output.append(try! JSONValue.parse(line)) },
            progress: { progress.append($0) })
        return (output, summary, progress)
    }

    @Test("lines come out in input order with errors in place", arguments: [(1, 100), (2, 2), (4, 1), (3, 4)])
    func order(workers: Int, chunkSize: Int) async throws {
        let (output, _, progress) = try await Self.run(workers: workers, chunkSize: chunkSize)
        #expect(output.count == Self.expected.count)
        for (line, expected) in zip(output, Self.expected) {
            #expect(line["index"]?.intValue == expected.index)
            if let follow = expected.follow {
                #expect(line["error"] == nil, "line \(expected.index): \(line)")
                #expect(line["follow_instruction_list"]?.arrayValue?.map { $0.boolValue! } == follow)
                #expect(line["follow_all_instructions"]?.boolValue == follow.allSatisfy { $0 })
                #expect(line["passed"]?.boolValue == follow.allSatisfy { $0 })
                #expect(line["reward"]?.doubleValue == (follow.allSatisfy { $0 } ? 1 : 0))
                #expect(line["tree"]?["children"]?.arrayValue?.count == follow.count)
            } else {
                #expect(line["error"]?["code"]?.intValue == expected.errorCode, "\(line)")
                #expect(line["reward"] == nil)
            }
        }
        #expect(progress.last == 6)
        #expect(progress == progress.sorted())
    }

    @Test("error messages name the line")
    func errorMessages() async throws {
        let (output, _, _) = try await Self.run(workers: 2, chunkSize: 3)
        let parse = output[2]["error"]?["message"]?.stringValue ?? ""
        #expect(parse.hasPrefix("line 3: "), "\(parse)")
        let spec = output[4]["error"]?["message"]?.stringValue ?? ""
        #expect(spec.hasPrefix("line 6: constraints: "), "\(spec)")
        #expect(spec.contains("no:such_id"), "\(spec)")
    }

    @Test("the summary counts prompts, instructions and ids")
    func summary() async throws {
        let (_, summary, _) = try await Self.run(workers: 2, chunkSize: 2)
        #expect(summary.lines == 6)
        #expect(summary.errorLines == 2)
        #expect(summary.scoredLines == 4)
        #expect(summary.promptsFollowed == 2)
        #expect(summary.instructions == 5)
        #expect(summary.instructionsFollowed == 3)
        #expect(summary.promptAccuracy == 0.5)
        #expect(summary.instructionAccuracy == 0.6)
        #expect(summary.perID["punctuation:no_comma"] == BatchSummary.IDCount(count: 2, passed: 1))
        #expect(summary.perID["change_case:english_lowercase"] == BatchSummary.IDCount(count: 1, passed: 1))
        #expect(summary.perID["keywords:existence"] == BatchSummary.IDCount(count: 2, passed: 1))
        #expect(summary.perID.count == 3)
        let text = summary.description
        #expect(text.contains("prompt-level accuracy      50.00% (2/4)"), "\(text)")
        #expect(text.contains("instruction-level accuracy 60.00% (3/5)"), "\(text)")
    }

    @Test("unknown options are refused", arguments: [("mode", "lax"), ("reasoning", "drop"), ("policy", "best")])
    func badOptions(name: String, value: String) {
        #expect(throws: ServerError.self) {
            switch name {
            case "mode": _ = try BatchScorer(mode: value)
            case "reasoning": _ = try BatchScorer(reasoning: value)
            default: _ = try BatchScorer(policy: value)
            }
        }
    }

    @Test(
        "labels: JSON strings, double encoding and Python literals",
        arguments: [
            #""{\"instruction_id_list\": [\"a\"], \"kwargs\": [{}], \"key\": 3}""#,
            #""\"{\\\"instruction_id_list\\\": [\\\"a\\\"], \\\"kwargs\\\": [{}]}\"""#,
            #""{'instruction_id_list': ['a'], 'kwargs': [{}]}""#,
            #"{"instruction_id_list": ["a"], "kwargs": [{}], "prompt": "x"}"#,
        ])
    func labels(text: String) throws {
        let label = try JSONValue.parse(text)
        let spec = try ConstraintLabel.normalize(label, what: "labels[0]")
        #expect(spec == ["instruction_id_list": ["a"], "kwargs": [[:]]])
    }

    @Test("unusable labels are -32602 naming the label", arguments: [#""""#, #""not json""#, "[]", "3", #""\"x\"""#])
    func badLabels(text: String) throws {
        let label = try JSONValue.parse(text)
        do {
            _ = try ConstraintLabel.normalize(label, what: "labels[7]")
            Issue.record("accepted \(text)")
        } catch {
            #expect(error.code == -32602)
            #expect(error.message.hasPrefix("labels[7] "), "\(error.message)")
        }
    }

    @Test(
        "Python literals",
        arguments: [
            (
                "{'a': [1, 2.5, -3], 'b': (True, False, None), \"c\": 'it\\'s'}",
                #"{"a": [1, 2.5, -3], "b": [true, false, null], "c": "it's"}"#
            ),
            ("['\\u00e9\\n']", #"["é\n"]"#),
        ])
    func pythonLiterals(literal: String, json: String) throws {
        #expect(PythonLiteral.parse(literal) == (try JSONValue.parse(json)))
    }

    @Test("not Python literals", arguments: ["{'a': }", "[1, 2", "{'a' 1}", "os.system('x')", "'open"])
    func notPythonLiterals(text: String) {
        #expect(PythonLiteral.parse(text) == nil)
    }
}
