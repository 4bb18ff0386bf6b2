import Foundation

private typealias Fields = JSONObject<TokenizerError>

/// Ids at or above this are refused, so a hostile file cannot make the loader allocate per-id tables of
/// billions of entries. Real vocabularies are below 300 K.
private let maximumVocabularySize = 1 << 24

extension BPETokenizer {
    /// Loads `tokenizer.json` from `url` (the file, or a model directory holding it), with
    /// `tokenizer_config.json` and `chat_template.jinja` from the same directory when present.
    public convenience init(url: URL) throws {
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory)
        let file = exists && isDirectory.boolValue ? url.appendingPathComponent("tokenizer.json") : url
        let directory = file.deletingLastPathComponent()
        let configURL = directory.appendingPathComponent("tokenizer_config.json")
        let templateURL = directory.appendingPathComponent("chat_template.jinja")
        let config = FileManager.default.fileExists(atPath: configURL.path) ? try Self.read(configURL) : nil
        let template = FileManager.default.fileExists(atPath: templateURL.path)
            ? String(decoding: try Self.read(templateURL), as: UTF8.self) : nil
        try self.init(tokenizerJSON: Self.read(file), tokenizerConfigJSON: config, chatTemplate: template)
    }

    /// Loads from the bytes of `tokenizer.json` and, optionally, `tokenizer_config.json` (special-token roles,
    /// chat template) and a separate chat template (`chat_template.jinja`, which takes precedence).
    public convenience init(tokenizerJSON: Data, tokenizerConfigJSON: Data? = nil, chatTemplate: String? = nil) throws {
        let root = try Fields.parse(tokenizerJSON) { .notJSON(file: "tokenizer.json", reason: $0) }
        var parts = try Self.loadModel(root)
        parts.normalizesNFC = try Self.loadNormalizer(root.object("normalizer"))
        parts.steps = try Self.loadPreTokenizer(root)
        try Self.checkDecoder(root.object("decoder"))
        (parts.templatePrefix, parts.templateSuffix) = try Self.loadPostProcessor(root.object("post_processor"))
        if let tokenizerConfigJSON {
            let config = try Fields.parse(tokenizerConfigJSON) { .notJSON(file: "tokenizer_config.json", reason: $0) }
            try Self.loadConfig(config, into: &parts)
        }
        if let chatTemplate { parts.chatTemplates["default"] = chatTemplate }
        self.init(parts: parts)
    }

    private static func read(_ url: URL) throws -> Data {
        do {
            return try Data(contentsOf: url)
        } catch {
            throw TokenizerError.cannotRead(path: url.path, reason: error.localizedDescription)
        }
    }

    // MARK: model, vocabulary, added tokens

    private static func loadModel(_ root: Fields) throws -> Parts {
        guard let model = try root.object("model") else { throw TokenizerError.missingField("model") }
        let type = try model.string("type") ?? (model.value("merges") != nil ? "BPE" : "")
        guard type == "BPE" else { throw TokenizerError.unsupportedModel(type: type.isEmpty ? "(none)" : type) }
        if let dropout = try model.double("dropout"), dropout != 0 {
            throw TokenizerError.unsupported(field: "model.dropout", value: "\(dropout)")
        }
        for field in ["continuing_subword_prefix", "end_of_word_suffix"] {
            if let affix = try model.string(field), !affix.isEmpty {
                throw TokenizerError.unsupported(field: model.path(field), value: affix)
            }
        }
        if try model.bool("byte_fallback") == true {
            throw TokenizerError.unsupported(field: "model.byte_fallback", value: "true")
        }

        // Vocabulary: spelling → id. Each id's decoded bytes go to `arena` at `starts[id]`, `lengths[id]`.
        guard let vocab = try model.object("vocab") else { throw TokenizerError.missingField("model.vocab") }
        let added = try root.objects("added_tokens").map { object -> AddedToken in
            let id = try object.requiredInt("id")
            guard id < maximumVocabularySize else { throw TokenizerError.invalidID(field: object.path("id"), id: id) }
            let special = try object.bool("special") ?? false
            return AddedToken(id: Int32(id), content: try object.requiredString("content"), special: special,
                              lstrip: try object.bool("lstrip") ?? false, rstrip: try object.bool("rstrip") ?? false,
                              singleWord: try object.bool("single_word") ?? false,
                              normalized: try object.bool("normalized") ?? !special)
        }
        var ids: [Int] = []
        ids.reserveCapacity(vocab.members.count)
        for (spelling, value) in vocab.members {
            let id = try Fields.natural(value, field: "model.vocab[\(spelling)]")
            guard id < maximumVocabularySize else {
                throw TokenizerError.invalidID(field: "model.vocab[\(spelling)]", id: id)
            }
            ids.append(id)
        }
        let vocabSize = max(ids.max() ?? -1, added.map { Int($0.id) }.max() ?? -1) + 1

        var idByBytes = ByteStringTable(capacity: ids.count)
        var arena: [UInt8] = []
        var starts = [Int](repeating: 0, count: vocabSize)
        var lengths = [Int](repeating: 0, count: vocabSize)
        var idKinds = [UInt8](repeating: 0, count: vocabSize)
        var literalVocabulary: [String: Int32] = [:]
        var literalByID: [Int32: String] = [:]
        for ((spelling, _), id) in zip(vocab.members, ids) {
            guard idKinds[id] == 0 else { throw TokenizerError.invalidID(field: "model.vocab[\(spelling)]", id: id) }
            let start = arena.count
            if ByteLevelAlphabet.append(spelling, to: &arena) {
                idKinds[id] = 1
                arena.withUnsafeBytes { idByBytes.insert(UnsafeRawBufferPointer(rebasing: $0[start...]), value: UInt64(id)) }
            } else {
                arena.removeSubrange(start...)
                arena.append(contentsOf: spelling.utf8)
                idKinds[id] = 2
                literalByID[Int32(id)] = spelling
                literalVocabulary[spelling] = Int32(id)
            }
            starts[id] = start
            lengths[id] = arena.count - start
        }
        var idByLiteral = literalVocabulary
        for token in added {
            let id = Int(token.id)
            idKinds[id] = 3
            // Hugging Face's ByteLevel decoder maps a token through the alphabet when it can, else uses its UTF-8.
            let start = arena.count
            if !ByteLevelAlphabet.append(token.content, to: &arena) {
                arena.removeSubrange(start...)
                arena.append(contentsOf: token.content.utf8)
            }
            starts[id] = start
            lengths[id] = arena.count - start
            idByLiteral[token.content] = token.id
        }

        // Merges by rank (their index); a pair listed twice keeps its last rank, as Hugging Face's map does.
        // `scratch` holds left's bytes then right's, so the merged token is looked up without concatenating.
        var scratch: [UInt8] = []
        func vocabularyID(_ bytes: ArraySlice<UInt8>, spelling: () -> String) -> Int32? {
            if let id = bytes.withUnsafeBytes({ idByBytes.value(for: $0) }) { return Int32(truncatingIfNeeded: id) }
            return literalVocabulary.isEmpty ? nil : literalVocabulary[spelling()]
        }
        let mergeList = try model.array("merges") ?? []
        var merges = PairTable(capacity: mergeList.count)
        for (rank, element) in mergeList.enumerated() {
            let field = "model.merges[\(rank)]"
            var pair: [String]
            switch element {
            case .string(let text):
                pair = text.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
            case .array(let list):
                pair = list.compactMap { if case .string(let text) = $0 { text } else { nil } }
                if pair.count != list.count { pair = [] }
            default:
                pair = []
            }
            guard pair.count == 2 else {
                throw TokenizerError.wrongType(field: field, expected: "\"left right\" or [left, right]")
            }
            scratch.removeAll(keepingCapacity: true)
            let leftInAlphabet = ByteLevelAlphabet.append(pair[0], to: &scratch)
            let split = scratch.count
            let bothInAlphabet = leftInAlphabet && ByteLevelAlphabet.append(pair[1], to: &scratch)
            if !bothInAlphabet { scratch.removeAll(keepingCapacity: true) }
            let left = bothInAlphabet ? vocabularyID(scratch[..<split]) { pair[0] } : literalOrAlphabetID(pair[0])
            guard let left else { throw TokenizerError.tokenNotInVocabulary(field: field, token: pair[0]) }
            let right = bothInAlphabet ? vocabularyID(scratch[split...]) { pair[1] } : literalOrAlphabetID(pair[1])
            guard let right else { throw TokenizerError.tokenNotInVocabulary(field: field, token: pair[1]) }
            let merged = bothInAlphabet ? vocabularyID(scratch[...]) { pair[0] + pair[1] }
                : literalOrAlphabetID(pair[0] + pair[1])
            guard let merged else { throw TokenizerError.tokenNotInVocabulary(field: field, token: pair[0] + pair[1]) }
            merges.insert(UInt32(left), UInt32(right), rank: UInt32(rank), newID: UInt32(merged))
        }

        /// A vocabulary id by spelling, for spellings that may lie outside the byte alphabet.
        func literalOrAlphabetID(_ spelling: String) -> Int32? {
            if let bytes = ByteLevelAlphabet.bytes(of: spelling) { return vocabularyID(bytes[...]) { spelling } }
            return literalVocabulary[spelling]
        }

        let unknownSpelling = try model.string("unk_token")
        let unknownID = unknownSpelling.flatMap(literalOrAlphabetID)
        let byteTokenIDs = (0..<256).map { byte in
            idByBytes.value(for: [UInt8(byte)]).map { Int32(truncatingIfNeeded: $0) } ?? -1
        }
        let bpe = BPEModel(idByBytes: idByBytes, byteTokenIDs: byteTokenIDs, merges: merges,
                           ignoreMerges: try model.bool("ignore_merges") ?? false, unknownID: unknownID,
                           fuseUnknown: try model.bool("fuse_unk") ?? false)

        var parts = Parts(model: bpe)
        parts.vocabSize = vocabSize
        parts.addedTokens = added
        parts.idKinds = idKinds
        parts.idByLiteral = idByLiteral
        parts.literalByID = literalByID
        parts.tokenOffsets.reserveCapacity(vocabSize + 1)
        parts.tokenOffsets.append(0)
        parts.tokenBytes.reserveCapacity(arena.count)
        for id in 0..<vocabSize {
            parts.tokenBytes.append(contentsOf: arena[starts[id]..<(starts[id] + lengths[id])])
            parts.tokenOffsets.append(Int32(parts.tokenBytes.count))
        }
        for token in added where token.special {
            parts.specialIDs.insert(token.id)
            if let id = literalOrAlphabetID(token.content) { parts.specialIDs.insert(id) }
        }
        parts.specialTokens.unk = unknownID
        return parts
    }

    // MARK: pipeline components

    /// Whether the normalizer is NFC; none is fine too. Anything else is refused.
    private static func loadNormalizer(_ normalizer: Fields?) throws -> Bool {
        guard let normalizer else { return false }
        let type = try normalizer.requiredString("type")
        switch type {
        case "NFC":
            return true
        case "Sequence":
            var nfc = false
            for child in try normalizer.objects("normalizers") { nfc = try loadNormalizer(child) || nfc }
            return nfc
        default:
            throw TokenizerError.unsupported(field: normalizer.path("type"), value: type)
        }
    }

    /// The pre-tokenizer as steps; a ByteLevel step must come last (after it, text is in the byte alphabet).
    private static func loadPreTokenizer(_ root: Fields) throws -> [PreTokenizerStep] {
        guard let top = try root.object("pre_tokenizer") else {
            throw TokenizerError.unsupported(field: "pre_tokenizer", value: "null (byte-level BPE needs ByteLevel)")
        }
        var steps: [PreTokenizerStep] = []
        func collect(_ object: Fields) throws {
            let type = try object.requiredString("type")
            switch type {
            case "Sequence":
                for child in try object.objects("pretokenizers") { try collect(child) }
            case "ByteLevel":
                steps.append(.byteLevel(addPrefixSpace: try object.bool("add_prefix_space") ?? false,
                                        useRegex: try object.bool("use_regex") ?? true))
            case "Split":
                let behavior = try object.string("behavior") ?? "Isolated"
                guard behavior == "Isolated" else {
                    throw TokenizerError.unsupported(field: object.path("behavior"), value: behavior)
                }
                if try object.bool("invert") == true {
                    throw TokenizerError.unsupported(field: object.path("invert"), value: "true")
                }
                guard let pattern = try object.object("pattern") else {
                    throw TokenizerError.missingField(object.path("pattern"))
                }
                guard let regex = try pattern.string("Regex") else {
                    let literal = (try? pattern.string("String")) ?? nil
                    throw TokenizerError.unsupported(field: pattern.path("String"), value: literal ?? "(none)")
                }
                guard let known = PreTokenizerPattern.known[regex] else {
                    throw TokenizerError.unsupported(field: pattern.path("Regex"), value: regex)
                }
                steps.append(.split(known))
            default:
                throw TokenizerError.unsupported(field: object.path("type"), value: type)
            }
        }
        try collect(top)
        guard case .byteLevel = steps.last else {
            throw TokenizerError.unsupported(field: "pre_tokenizer", value: "no ByteLevel step at the end")
        }
        guard steps.dropLast().allSatisfy({ if case .split = $0 { true } else { false } }) else {
            throw TokenizerError.unsupported(field: "pre_tokenizer", value: "ByteLevel before another step")
        }
        return steps
    }

    /// The decoder must be ByteLevel (or absent, which is read as ByteLevel), possibly inside a Sequence.
    private static func checkDecoder(_ decoder: Fields?) throws {
        guard let decoder else { return }
        let type = try decoder.requiredString("type")
        switch type {
        case "ByteLevel": return
        case "Sequence": for child in try decoder.objects("decoders") { try checkDecoder(child) }
        default: throw TokenizerError.unsupported(field: decoder.path("type"), value: type)
        }
    }

    /// The ids a TemplateProcessing post-processor puts around a single sequence (ByteLevel adds none).
    private static func loadPostProcessor(_ processor: Fields?) throws -> ([Int32], [Int32]) {
        guard let processor else { return ([], []) }
        let type = try processor.requiredString("type")
        switch type {
        case "ByteLevel":
            return ([], [])
        case "Sequence":
            var prefix: [Int32] = []
            var suffix: [Int32] = []
            for child in try processor.objects("processors") {
                let (before, after) = try loadPostProcessor(child)
                prefix += before
                suffix = after + suffix
            }
            return (prefix, suffix)
        case "TemplateProcessing":
            let specials = try processor.object("special_tokens")
            var prefix: [Int32] = []
            var suffix: [Int32] = []
            var seenSequence = false
            for item in try processor.objects("single") {
                if try item.object("Sequence") != nil {
                    seenSequence = true
                } else if let special = try item.object("SpecialToken") {
                    let name = try special.requiredString("id")
                    guard let entry = try specials?.object(name) else {
                        throw TokenizerError.missingField(processor.path("special_tokens.\(name)"))
                    }
                    let ids = try entry.naturals("ids") ?? []
                    let converted = ids.map { Int32(truncatingIfNeeded: $0) }
                    if seenSequence { suffix += converted } else { prefix += converted }
                }
            }
            return (prefix, suffix)
        default:
            throw TokenizerError.unsupported(field: processor.path("type"), value: type)
        }
    }

    // MARK: tokenizer_config.json

    /// Special-token roles and chat templates from tokenizer_config.json.
    private static func loadConfig(_ config: Fields, into parts: inout Parts) throws {
        // A role is a token's text, or an object {"content": text, ...} (transformers' serialised AddedToken).
        func roleID(_ field: String) throws -> Int32? {
            guard let spelling = try (try? config.string(field)) ?? config.object(field)?.string("content") else {
                return nil
            }
            if let id = parts.idByLiteral[spelling] { return id }
            if let bytes = ByteLevelAlphabet.bytes(of: spelling), let id = parts.model.idByBytes.value(for: bytes) {
                return Int32(truncatingIfNeeded: id)
            }
            throw TokenizerError.tokenNotInVocabulary(field: config.path(field), token: spelling)
        }
        parts.specialTokens.bos = try roleID("bos_token") ?? parts.specialTokens.bos
        parts.specialTokens.eos = try roleID("eos_token") ?? parts.specialTokens.eos
        parts.specialTokens.pad = try roleID("pad_token") ?? parts.specialTokens.pad
        parts.specialTokens.unk = try roleID("unk_token") ?? parts.specialTokens.unk

        if let template = try? config.string("chat_template") {
            parts.chatTemplates["default"] = template
        } else {
            for entry in try config.objects("chat_template") {
                parts.chatTemplates[try entry.requiredString("name")] = try entry.requiredString("template")
            }
        }
    }
}
