import ArgumentParser
import Server

extension Raif {
    /// `raif version`: prints the version.
    struct Version: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print raif's version.")

        func run() {
            print(RaifVersion.current)
        }
    }
}
