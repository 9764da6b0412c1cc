import ArgumentParser
import Server

extension Raif {
    /// `raif tokenize (--file F | TEXT)`: prints token ids as a JSON array.
    struct Tokenize: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the model's token ids of a text as a JSON array.",
            discussion: "Tokenizes as llama.cpp's llama_tokenize does (add_special, parse_special) unless told not to.")

        @OptionGroup var modelOptions: ModelOptions

        @Flag(help: "Do not add the BOS token the model's metadata asks for.")
        var noBos = false

        @Flag(help: "Tokenize control tokens written in the text (<|im_start|> ...) as plain text.")
        var noParseSpecial = false

        @Option(help: ArgumentHelp("Read the text from this file.", valueName: "path"))
        var file: String?

        @Argument(help: "The text to tokenize (or use --file).")
        var text: String?

        func validate() throws {
            switch (file, text) {
            case (nil, nil): throw ValidationError("give TEXT or --file PATH")
            case (.some, .some): throw ValidationError("give TEXT or --file PATH, not both")
            default: break
            }
        }

        func run() throws {
            do {
                let input = try file.map(LocalGeneration.readTextFile) ?? text ?? ""
                let ids = try LocalGeneration.tokenize(
                    modelPath: modelOptions.model, text: input, addBOS: !noBos, parseSpecial: !noParseSpecial)
                print(LocalGeneration.jsonArray(ids))
            } catch {
                StandardError.writeLine("raif tokenize: \(error)")
                throw ExitCode.failure
            }
        }
    }
}
