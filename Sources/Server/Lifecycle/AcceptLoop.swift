internal import Logging
internal import NIOCore
internal import ServiceLifecycle

/// The accept loop shared by the socket server and the HTTP front door.
enum AcceptLoop {
    /// Serves every connection accepted on `serverChannel` in its own task until the channel
    /// closes, then waits for those tasks; a graceful shutdown calls `onGracefulShutdown`, which
    /// stops accepting and drains.
    ///
    /// An accept failure is logged as `failure` unless `isDraining()` says the listener was closed
    /// on purpose.
    static func run<Client: Sendable>(
        _ serverChannel: NIOAsyncChannel<Client, Never>, logger: Logger, failure: Logger.Message,
        isDraining: @escaping @Sendable () -> Bool, serve: @escaping @Sendable (Client) async -> Void,
        onGracefulShutdown: @escaping @Sendable () -> Void
    ) async {
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                do {
                    try await serverChannel.executeThenClose { inbound in
                        for try await client in inbound {
                            group.addTask { await serve(client) }
                        }
                    }
                } catch {
                    if !isDraining() { logger.error(failure, metadata: ["raif.error": "\(error)"]) }
                }
            }
        } onGracefulShutdown: {
            onGracefulShutdown()
        }
    }
}
