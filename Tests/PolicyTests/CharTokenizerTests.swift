import Testing
@testable import Policy

@Suite struct CharTokenizerTests {
    let tokenizer = CharTokenizer.builtin

    @Test func documentedIDTable() {
        #expect(tokenizer.vocabSize == 100)
        #expect(tokenizer.specialTokens == SpecialTokenIDs(bos: 1, eos: 2, pad: 0, unk: 3))
        #expect(tokenizer.encode("\n") == [4])
        #expect(tokenizer.encode(" ") == [5])
        #expect(tokenizer.encode("~") == [99])
        for byte in UInt8(0x20)...UInt8(0x7E) {
            let id = Int32(byte) - 27
            #expect(tokenizer.encode(String(UnicodeScalar(byte))) == [id])
            #expect(tokenizer.token(for: id) == String(UnicodeScalar(byte)))
            #expect(tokenizer.id(for: String(UnicodeScalar(byte))) == id)
        }
        #expect(tokenizer.token(for: 100) == nil)
        #expect(tokenizer.token(for: -1) == nil)
    }

    @Test func roundTripsCurriculumText() {
        let text = "Question: What is 12 + 35?\nAnswer: 12 + 35 = 47\n#### 47"
        let ids = tokenizer.encode(text)
        #expect(ids.count == text.utf8.count)
        #expect(ids.allSatisfy { $0 >= 4 && $0 < 100 })
        #expect(tokenizer.decode(ids) == text)
    }

    @Test func specialTokensAreMatchedInTextAndSkippable() {
        let ids = tokenizer.encode("<bos>1+1=2<eos><pad><unk>")
        #expect(ids == [1, Int32(UInt8(ascii: "1")) - 27, Int32(UInt8(ascii: "+")) - 27, Int32(UInt8(ascii: "1")) - 27,
                        Int32(UInt8(ascii: "=")) - 27, Int32(UInt8(ascii: "2")) - 27, 2, 0, 3])
        #expect(tokenizer.decode(ids) == "<bos>1+1=2<eos><pad><unk>")
        #expect(tokenizer.decode(ids, skipSpecialTokens: true) == "1+1=2")
        // A lone "<" or a partial spelling is ordinary text.
        #expect(tokenizer.encode("<eo") == [Int32(UInt8(ascii: "<")) - 27, Int32(UInt8(ascii: "e")) - 27,
                                             Int32(UInt8(ascii: "o")) - 27])
    }

    @Test func unknownCharactersBecomeUnkNeverACrash() {
        let ids = tokenizer.encode("a\tb\r\n€😀é")
        #expect(ids == [Int32(UInt8(ascii: "a")) - 27, 3, Int32(UInt8(ascii: "b")) - 27, 3, 4, 3, 3, 3])
        #expect(tokenizer.id(for: "€") == nil)
        #expect(tokenizer.decode([-7, 1000, 42]) == tokenizer.token(for: 42))
    }

    @Test func builtinTinyConfigMatchesTheTokenizer() {
        let config = ModelConfig.builtinTiny
        #expect(config.vocabSize == tokenizer.vocabSize)
        #expect(config.eosTokenIDs == [Int(CharTokenizer.eosID)])
        #expect(config.bosTokenID == Int(CharTokenizer.bosID))
        #expect(config.hiddenSize == ModelConfig.benchTiny.hiddenSize)
        #expect(config.numLayers == ModelConfig.benchTiny.numLayers)
        #expect(config.numHeads == ModelConfig.benchTiny.numHeads)
        #expect(config.numKVHeads == ModelConfig.benchTiny.numKVHeads)
        #expect(config.intermediateSize == ModelConfig.benchTiny.intermediateSize)
    }
}
