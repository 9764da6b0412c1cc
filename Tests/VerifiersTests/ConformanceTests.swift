import Foundation
import Testing

@testable import Verifiers

/// Agreement with the reference IFEval checkers.
@Suite("IFEval conformance")
struct ConformanceTests {
    /// The committed slice must agree completely (strict and loose).
    @Test("committed slice agrees with the reference verdicts")
    func slice() throws {
        let url = try #require(
            Bundle.module.url(forResource: "ifeval_slice", withExtension: "jsonl", subdirectory: "Fixtures"))
        let records = try Conformance.loadRecords(url)
        #expect(records.count >= 300)
        let ids = Set(records.map(\.instructionID))
        #expect(ids.count == 25)
        for record in records {
            let outcome = Conformance.run(record)
            #expect(outcome.error == nil, "\(record.id): \(outcome.error ?? "")")
            #expect(outcome.strict == record.strict, "\(record.id) \(record.instructionID) strict: \(outcome.detail)")
            #expect(outcome.loose == record.loose, "\(record.id) \(record.instructionID) loose")
        }
    }

    /// The full reference file, when `RAIF_CONFORMANCE_DIR` points at it: prints the agreement
    /// table and holds the targets (>= 99.5% overall, >= 98% per id, strict and loose).
    @Test(
        "full reference file (set RAIF_CONFORMANCE_DIR)",
        .enabled(if: ProcessInfo.processInfo.environment["RAIF_CONFORMANCE_DIR"] != nil))
    func full() throws {
        let dir = ProcessInfo.processInfo.environment["RAIF_CONFORMANCE_DIR"]!
        let url = URL(fileURLWithPath: dir).appendingPathComponent("ifeval_reference.jsonl")
        let records = try Conformance.loadRecords(url)
        let outcomes = records.map { Conformance.run($0) }
        let table = Conformance.table(outcomes)
        print(table.text)
        try Conformance.dumpDisagreements(outcomes)
        #expect(table.strict >= 0.995)
        #expect(table.loose >= 0.995)
        for (id, agreement) in Conformance.perID(outcomes) {
            #expect(agreement.strict >= 0.98, "\(id) strict \(agreement.strict)")
            #expect(agreement.loose >= 0.98, "\(id) loose \(agreement.loose)")
        }
    }
}
