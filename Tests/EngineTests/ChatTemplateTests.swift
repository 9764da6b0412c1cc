import Engine
import Foundation
import GGUF
import Testing

/// Chat templates rendered natively, compared with jinja2's rendering of the real template texts.
@Suite("Chat templates")
struct ChatTemplateTests {
    struct Fixture: Decodable {
        struct Template: Decodable {
            let kind: String
            let text: String
            let bosToken: String
            let eosToken: String

            enum CodingKeys: String, CodingKey {
                case kind, text
                case bosToken = "bos_token"
                case eosToken = "eos_token"
            }
        }
        struct Message: Decodable {
            let role: String
            let content: String
        }
        struct Case: Decodable {
            let template: String
            let conversation: Int
            let addGenerationPrompt: Bool
            let dateString: String?
            let enableThinking: Bool?
            let expected: String

            enum CodingKeys: String, CodingKey {
                case template, conversation, expected
                case addGenerationPrompt = "add_generation_prompt"
                case dateString = "date_string"
                case enableThinking = "enable_thinking"
            }
        }
        let templates: [String: Template]
        let conversations: [[Message]]
        let cases: [Case]
    }

    static let fixture: Fixture? = {
        guard
            let url = Bundle.module.url(forResource: "chat_templates", withExtension: "json", subdirectory: "Fixtures"),
            let data = try? Data(contentsOf: url)
        else { return nil }
        return try? JSONDecoder().decode(Fixture.self, from: data)
    }()

    static let templateNames: [String] = fixture.map { $0.templates.keys.sorted() } ?? []

    @Test("the fixture is loaded")
    func fixtureLoaded() {
        #expect(Self.templateNames.count >= 10)
    }

    @Test("rendering matches jinja2 for every conversation", arguments: templateNames)
    func rendersLikeJinja(name: String) throws {
        let fixture = try #require(Self.fixture)
        let source = try #require(fixture.templates[name])
        let template = try ChatTemplate(template: source.text, bosToken: source.bosToken)
        #expect(
            template.family.rawValue == source.kind || (source.kind == "deepseek" && template.family == .deepSeekR1))
        let cases = fixture.cases.filter { $0.template == name }
        #expect(!cases.isEmpty)
        for c in cases {
            let messages = fixture.conversations[c.conversation].map { ChatMessage(role: $0.role, content: $0.content) }
            var options = ChatTemplateOptions()
            if let date = c.dateString { options.dateString = date }
            if let thinking = c.enableThinking { options.enableThinking = thinking }
            let rendered = try template.render(messages, addGenerationPrompt: c.addGenerationPrompt, options: options)
            #expect(rendered == c.expected, "\(name) conversation \(c.conversation) gen=\(c.addGenerationPrompt)")
        }
    }

    @Test(
        "default system prompts are read from the template",
        arguments: [
            ("smollm2", "You are a helpful AI assistant named SmolLM, trained by Hugging Face"),
            ("qwen2.5", "You are Qwen, created by Alibaba Cloud. You are a helpful assistant."),
            ("chatml-plain", nil),
        ] as [(String, String?)])
    func defaultSystemPrompt(name: String, expected: String?) throws {
        let source = try #require(Self.fixture?.templates[name])
        let template = try ChatTemplate(template: source.text, bosToken: source.bosToken)
        #expect(template.family == .chatML)
        #expect(template.defaultSystemPrompt == expected)
    }

    @Test(
        "unrecognised templates are a clear error",
        arguments: [
            "{{ messages[0]['content'] }}",
            "{% for m in messages %}[INST] {{ m['content'] }} [/INST]{% endfor %}",
            "{% for m in messages %}<|im_start|>{{ m.role }}\n{{ m.reasoning_content }}<think>{% endfor %}",
            "",
        ])
    func unrecognised(text: String) {
        #expect(throws: EngineError.self) { try ChatTemplate(template: text, bosToken: "<s>") }
    }

    @Test("a named family renders without a template text")
    func namedFamily() throws {
        let messages = [ChatMessage(role: "user", content: "Hi")]
        #expect(
            try ChatTemplate(family: .chatML).render(messages)
                == "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n")
        #expect(
            try ChatTemplate(family: .deepSeekR1).render(messages)
                == "<｜begin▁of▁sentence｜><｜User｜>Hi<｜Assistant｜><think>\n")
        let llama = try ChatTemplate(family: .llama3).render(
            messages, options: ChatTemplateOptions(dateString: "01 Jan 2025"))
        #expect(
            llama
                == "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nCutting Knowledge Date: December 2023\n"
                + "Today Date: 01 Jan 2025\n\n<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|>"
                + "<|start_header_id|>assistant<|end_header_id|>\n\n")
        #expect(ChatTemplate(family: .llama3).rendersBOS)
        #expect(!ChatTemplate(family: .chatML).rendersBOS)
    }

    @Test("bad messages are a clear error")
    func badMessages() {
        let template = ChatTemplate(family: .chatML)
        #expect(throws: EngineError.self) { try template.render([]) }
        #expect(throws: EngineError.self) { try template.render([ChatMessage(role: "tool", content: "{}")]) }
    }

    @Test(
        "the default model's template is recognised",
        .enabled(if: TokenizerFixtures.modelPath != nil, "needs the default model (RAIF_MODEL or ~/.cache/raif)"))
    func defaultModel() throws {
        let file = try GGUFFile(path: try #require(TokenizerFixtures.modelPath))
        let tokenizer = try #require(TokenizerFixtures.modelTokenizer)
        let template = try ChatTemplate(gguf: file, tokenizer: tokenizer)
        #expect(template.family == .chatML)
        #expect(template.defaultSystemPrompt == "You are a helpful AI assistant named SmolLM, trained by Hugging Face")
    }
}

/// Rendering plus tokenization gives one BOS, as llama.cpp's chat path does.
@Suite("Chat prompt tokenization")
struct ChatPromptTests {
    @Test("a template that writes BOS, with a vocabulary that adds BOS: one BOS")
    func singleBOS() throws {
        let tokenizer = try TokenizerFixtures.tiny("llama-bpe").tokenizer()
        #expect(tokenizer.addsBOS)
        let bos = try #require(tokenizer.specialIDs.bos)
        let template = ChatTemplate(family: .llama3)
        let ids = try tokenizer.encodeChat([ChatMessage(role: "user", content: "Hello")], template: template)
        #expect(ids.first == bos)
        #expect(ids.filter { $0 == bos }.count == 1)
        let rendered = try template.render([ChatMessage(role: "user", content: "Hello")])
        #expect(try tokenizer.decode(ids) == rendered)
    }

    @Test("ChatML without BOS: the rendered text, special tokens parsed")
    func chatML() throws {
        let tokenizer = try TokenizerFixtures.tiny("smollm").tokenizer()
        let template = ChatTemplate(family: .chatML, defaultSystemPrompt: "Be kind.")
        let messages = [ChatMessage(role: "user", content: "Hi")]
        let ids = try tokenizer.encodeChat(messages, template: template)
        let imStart = try #require(tokenizer.tokenID(forText: "<|im_start|>"))
        #expect(ids.first == imStart)
        #expect(ids.filter { $0 == imStart }.count == 3)
        #expect(try tokenizer.decode(ids) == (try template.render(messages)))
    }
}
