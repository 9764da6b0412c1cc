internal import Verifiers
internal import WireProtocol

/// One line of a `raif score` input file, read into an item to score.
///
/// Accepted shapes (other members, such as IFEval's `key`, are ignored):
///
/// ```
/// {"prompt", "response", "instruction_id_list": [...], "kwargs": [...]}      IFEval / IFBench record
/// {"response", "constraints": <any spec score accepts>, "prompt"?}           raif's own
/// {"response", "ground_truth": <JSON string or object>, "prompt"?}           open-instruct
/// ```
///
/// `constraints` and `ground_truth` go through ``ConstraintLabel`` (JSON strings decoded).
enum ScoreInputLine {
    /// The item on `line`; `number` (1-based) names the line in errors.
    ///
    /// - Throws: -32700 when the line is not JSON, -32602 when it lacks a response or constraints.
    static func item(_ line: [UInt8], number: Int) throws(RPCError) -> ScoringItem {
        let value: JSONValue
        do {
            value = try JSONValue.parse(line)
        } catch {
            let rpc = RPCError(error)
            throw RPCError(code: rpc.code, message: "line \(number): \(rpc.message)", data: rpc.data)
        }
        guard case .object(let object) = value else {
            throw RPCError.invalidParams("line \(number): expected a JSON object, got \(value.typeName)")
        }
        let reader = ParamReader(object, path: "line \(number)")
        let response = try reader.required("response", as: String.self)
        let prompt = try reader.optional("prompt", as: String.self)
        let spec: JSONValue
        if let constraints = reader.value("constraints") {
            spec = try ConstraintLabel.normalize(constraints, what: reader.field("constraints"))
        } else if let ids = reader.value("instruction_id_list") {
            spec = ["instruction_id_list": ids, "kwargs": reader.value("kwargs") ?? .null]
        } else if let groundTruth = reader.value("ground_truth") {
            spec = try ConstraintLabel.normalize(groundTruth, what: reader.field("ground_truth"))
        } else {
            throw RPCError.invalidParams(
                "line \(number): no constraints (expected 'constraints', 'instruction_id_list' with 'kwargs', "
                    + "or 'ground_truth')")
        }
        return ScoringItem(response: response, prompt: prompt, constraints: VerifierJSON.constraintValue(spec))
    }
}
