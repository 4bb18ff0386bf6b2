internal import CNNG

/// TLS settings for `tls+tcp://` endpoints (nng's mbedTLS engine on Debian).
///
/// Files are PEM. A listener needs `certificateKeyFile`; a dialer normally needs `caFile` to verify the
/// server and `serverName` when the certificate's name differs from the host in the URL.
public struct TLSConfiguration: Sendable, Equatable {
    /// How strictly the peer's certificate is checked.
    public enum PeerAuthentication: Sendable, Equatable { case none, optional, required }

    /// CA certificate chain used to verify the peer.
    public var caFile: String?
    /// Our certificate and private key in one PEM file.
    public var certificateKeyFile: String?
    public var keyPassword: String?
    public var serverName: String?
    /// nil = nng's default (required for dialers, none for listeners).
    public var peerAuthentication: PeerAuthentication?

    public init(caFile: String? = nil, certificateKeyFile: String? = nil, keyPassword: String? = nil,
                serverName: String? = nil, peerAuthentication: PeerAuthentication? = nil) {
        self.caFile = caFile
        self.certificateKeyFile = certificateKeyFile
        self.keyPassword = keyPassword
        self.serverName = serverName
        self.peerAuthentication = peerAuthentication
    }

    /// A new nng TLS config; the caller frees it after handing it to a dialer or listener (which hold their own reference).
    func makeConfig(mode: nng_tls_mode) throws(NNGError) -> OpaquePointer {
        var config: OpaquePointer?
        try nngCheck(nng_tls_config_alloc(&config, mode), "allocate TLS config")
        guard let config else { throw NNGError(code: Int32(NNG_ENOMEM.rawValue), operation: "allocate TLS config") }
        do {
            if let serverName { try nngCheck(nng_tls_config_server_name(config, serverName), "TLS server name") }
            if let caFile { try nngCheck(nng_tls_config_ca_file(config, caFile), "TLS CA file \(caFile)") }
            if let certificateKeyFile {
                try nngCheck(nng_tls_config_cert_key_file(config, certificateKeyFile, keyPassword),
                             "TLS certificate/key file \(certificateKeyFile)")
            }
            if let peerAuthentication {
                let mode: nng_tls_auth_mode = switch peerAuthentication {
                case .none: NNG_TLS_AUTH_MODE_NONE
                case .optional: NNG_TLS_AUTH_MODE_OPTIONAL
                case .required: NNG_TLS_AUTH_MODE_REQUIRED
                }
                try nngCheck(nng_tls_config_auth_mode(config, mode), "TLS peer authentication mode")
            }
        } catch {
            nng_tls_config_free(config)
            throw error
        }
        return config
    }
}
