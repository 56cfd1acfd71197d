/**
 * Public API of the extension core: plain TypeScript, no `vscode` or `openai` import, unit-tested
 * directly. The vscode glue (src/vscode) and the client (src/client) build on these exports.
 */

// Deployment outputs, settings and what to talk to
export { parseDeploymentOutputs, formatOutputsProblem, selectEndpoints, canComplete, canChat } from "./outputs";
export type { Endpoint, EndpointRole, EndpointSelection, OutputsProblem, OutputsResult } from "./outputs";
export { SETTINGS_SCHEMA, SETTING_KEYS, parseSettings, defaultSettings } from "./settings";
export type { AiCockpitSettings, ParsedSettings } from "./settings";
export { resolveTarget, resolveDeploymentTarget, resolveManualTarget } from "./target";
export type { ModelTarget, ModelRef, CompletionModelRef } from "./target";

// Inline completions: prompt, context, mode, stream, post-processing
export { FIM_FAMILIES, buildFimPrompt, fimStopTokens, guessFimFamily, isFimFamily } from "./fim";
export { FimVerdicts } from "./fim-verdicts";
export type { FimCheck, FimTarget, FimVerdict, IsUnavailable } from "./fim-verdicts";
export type { FimFamily, FimInput, FimPrompt } from "./fim";
export { CHARS_PER_TOKEN, estimateTokens, tokensToChars, promptBudgetTokens, trimPrefixSuffix, keepHead, keepTail } from "./tokens";
export type { TrimmedPair } from "./tokens";
export { assembleContext, importSpecifiers, importCandidates, joinPath } from "./context";
export { identifiersNearCursor, definitionHead, hoverSignature, SYMBOL_SNIPPET_CHARS } from "./symbol-context";
export type { NearIdentifier, SymbolSnippet } from "./symbol-context";
export type { FileSnapshot, EditedRange, ContextSnippet, ContextKind, ContextRequest } from "./context";
export { decideCompletionMode, leadingWhitespace } from "./mode";
export type { CompletionMode } from "./mode";
export { CompletionStreamAccumulator, indentWidth } from "./stream";
export type { StreamOptions } from "./stream";
export { SseParser, completionChunk, chatChunk } from "./sse";
export type { SseEvent, StreamChunk } from "./sse";
export { postProcessCompletion, stripLineSuffixOverlap, dropRepeatedSuffixLines } from "./postprocess";
export type { PostProcessContext } from "./postprocess";
export { planCompletion, createAccumulator, finishCompletion, cursorWindow, cursorLine } from "./completion-plan";
export type { CompletionRequestInput, CompletionPlan } from "./completion-plan";

// Request economy: cache, type-through, debounce, backoff
export { LruCache } from "./lru";
export { CompletionCache, typeThrough } from "./completion-cache";
export type { CompletionKey, CompletionCacheOptions, CacheHit } from "./completion-cache";
export { CompletionController, MAX_ALTERNATIVES } from "./completion-controller";
export type {
  ProvideOutcome,
  ControllerOptions,
  CompletionFetcher,
  AlternativesFetcher,
  AlternativesOutcome,
} from "./completion-controller";
export { AdaptiveDebouncer, systemClock } from "./debounce";
export type { Clock, DebounceOptions } from "./debounce";
export { BackoffPolicy } from "./backoff";
export type { BackoffOptions } from "./backoff";

// Privacy: what never leaves the machine
export { DEFAULT_EXCLUDE, ExclusionMatcher, createExclusionMatcher } from "./exclusion";
export type { ExclusionConfig } from "./exclusion";
export { globToRegExp, globToRegExpSource, normalizePath } from "./glob";
export { parseGitignore, gitignoreMatch } from "./gitignore";
export type { GitignoreRule } from "./gitignore";

// Chat, edits, terminal help, doc comments
export { buildEditMessages, buildEditFollowUpMessages, editResultFromReply, buildChatMessages, fencedCode } from "./chat-prompts";
export type { ChatMessage, ChatToolCall, EditRequest, ChatCommand, ChatReference, ChatTurn, ChatRequest } from "./chat-prompts";
export { chatBudget, editBudget, messagesTokens, MESSAGE_OVERHEAD_TOKENS, MAX_CHAT_OUTPUT_TOKENS } from "./chat-budget";
export type { ChatBudget } from "./chat-budget";
export { toChatMessages } from "./lm-messages";
export type { LmMessage, LmPart } from "./lm-messages";
export { toOpenAiTools, toolCallDeltas, parseToolArguments, ToolCallAccumulator, describeMalformedCall } from "./tool-calls";
export type { ToolDefinition, ToolMode, OpenAiTool, OpenAiToolChoice, ToolCallDelta, ToolCall, MalformedToolCall } from "./tool-calls";
export {
  READ_FILE_TOOL,
  SEARCH_TOOL,
  WORKSPACE_TOOLS,
  MAX_READ_LINES,
  MAX_SEARCH_MATCHES,
  parseReadFileInput,
  readFileResult,
  searchFiles,
  pathsInToolInput,
} from "./workspace-tools";
export type { ReadFileInput } from "./workspace-tools";
export { parseUnifiedDiff, describeCommitStyle, buildCommitMessageMessages, commitMessageFromReply } from "./commit-message";
export type { FileDiff, CommitMessageRequest, CommitMessagePrompt } from "./commit-message";
export { buildTerminalFailureMessages, parseFixCommand } from "./terminal-prompts";
export type { TerminalFailure } from "./terminal-prompts";
export { stripAnsi } from "./ansi";
export { docCommentStyle, buildDocCommentMessages, formatDocComment } from "./doc-comment";
export type { DocStyle, DocCommentRequest } from "./doc-comment";
export { extractCodeBlocks, codeFromReply } from "./code-blocks";
export type { CodeBlock } from "./code-blocks";
export { lineComment, fenceLanguage } from "./languages";

// Status and statistics (local only)
export { classifyHealth, statusBarText } from "./health";
export type { Health, HealthKind, ProbeResult } from "./health";
export { HealthMonitor, HEALTHY_RECHECK_MS, MIN_RECHECK_MS } from "./health-monitor";
export type { HealthLog, HealthMonitorOptions } from "./health-monitor";
export type { RequestFailure, RequestFailureKind } from "./request-failure";
export { LatencyStats, percentile } from "./latency";
export type { LatencySummary } from "./latency";
