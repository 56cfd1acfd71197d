/**
 * vLLM's `--tool-call-parser` names the kit can pass, each with where it came from. Every one is
 * registered in the pinned release and in every older release the planner knows (the earliest,
 * v0.10.1.1, followed 2025-08-20): read 2026-11-26 in vllm/tool_parsers/__init__.py of the fork
 * snapshot ivanium/vllm @ 455edc022b45 (upstream main, 2026-08-17), and the commit that added each
 * name (`git log -S`). docs/features/tool_calling.md at that commit lists which models use which:
 * `hermes` for Qwen2.5 ("the chat template in tokenizer_config.json has already included support
 * for the Hermes-style tool use"), `llama3_json` for Llama 3.1/3.2, Qwen3-Coder under `qwen3_xml`,
 * which the registry maps to the same class (Qwen3EngineToolParser) as `qwen3_coder`, the older
 * name every known release has.
 */
export const TOOL_CALL_PARSERS = ["hermes", "mistral", "llama3_json", "pythonic", "deepseek_v3", "qwen3_coder"] as const;
export type ToolCallParser = (typeof TOOL_CALL_PARSERS)[number];

/** The commit that registered each parser name, for docs and the flag history. */
export const TOOL_CALL_PARSER_SOURCES: Readonly<Record<ToolCallParser, string>> = {
  hermes: "#5649 OpenAI-Compatible Tools API + Streaming for Hermes & Mistral models (e02ce498b, 2024-09-04)",
  mistral: "#5649 OpenAI-Compatible Tools API + Streaming for Hermes & Mistral models (e02ce498b, 2024-09-04)",
  llama3_json: "#8343 Add support for Llama 3.1 and 3.2 tool use (344cd2b6f, 2024-09-26)",
  pythonic: "#9859 Pythonic tool parser (f67ce05d0, 2024-11-13)",
  deepseek_v3: "#17784 Support DeepSeekV3 Function Call (3a5ea7512, 2025-05-12)",
  qwen3_coder: "#21396 Add Qwen3CoderToolParser (4594fc3b2, 2025-07-22)",
};
