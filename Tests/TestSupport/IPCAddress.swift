import Foundation

/// Addresses for sockets a test listens on.
public enum IPCAddress {
    /// A fresh `ipc://` address in the temporary directory, named for what listens there; unique per call, so tests
    /// running side by side never share a socket file.
    public static func unique(_ name: String) -> String {
        "ipc://\(NSTemporaryDirectory())grpo-\(name)-\(UUID().uuidString.prefix(8)).ipc"
    }
}
