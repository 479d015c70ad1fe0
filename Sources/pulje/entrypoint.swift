import Foundation
import Logging
import PuljeApp
import Vapor

/// Starts Pulje: `pulje serve`, `pulje migrate`, `pulje seed`, `pulje create-admin`, `pulje portfolio`,
/// `pulje business-case`.
@main
enum Entrypoint {
    static func main() async throws {
        // `pulje portfolio` is a pure computation: no configuration, no database.
        if CommandLine.arguments.dropFirst().first == "portfolio" {
            let input = FileHandle.standardInput.readDataToEndOfFile()
            let (output, status) = PortfolioCLI.run(input)
            FileHandle.standardOutput.write(output)
            exit(status)
        }
        if CommandLine.arguments.dropFirst().first == "business-case" {
            let input = FileHandle.standardInput.readDataToEndOfFile()
            let (output, status) = BusinessCaseCLI.run(input)
            FileHandle.standardOutput.write(output)
            exit(status)
        }
        var env = try Environment.detect()
        // PULJE_LOG_FORMAT=json: one JSON object per line, for a log collector; else Vapor's console lines.
        if ProcessInfo.processInfo.environment["PULJE_LOG_FORMAT"] == "json" {
            try LoggingSystem.bootstrap(from: &env) { level in { label in JSONLogHandler(label: label, level: level) } }
        } else {
            try LoggingSystem.bootstrap(from: &env)
        }
        let app = try await Application.make(env)
        do {
            let config = try AppConfig.load(environment: ProcessInfo.processInfo.environment, mode: env)
            try await configure(app, config: config)
            try await prepareIfServing(app)
            try await app.execute()
        } catch let error as AppConfig.Invalid {
            app.logger.critical("\(error.description)")
            try? await app.asyncShutdown()
            exit(1)
        } catch {
            // Vapor has already logged the error; end with a failure status rather than a crash.
            try? await app.asyncShutdown()
            exit(1)
        }
        try await app.asyncShutdown()
    }
}
