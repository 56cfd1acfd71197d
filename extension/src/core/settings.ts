/**
 * The `aicockpit.*` settings, validated with zod. Each setting is checked on its own: a bad
 * value falls back to its default and is reported, so one typo does not disable the extension.
 */
import { z } from "zod";
import { DEFAULT_EXCLUDE } from "./exclusion";
import { FIM_TEMPLATES } from "../../../core/contract/outputs";

const optionalUrl = z.union([z.literal(""), z.url().refine((u) => /^https?:\/\//i.test(u), "must start with http:// or https://")]);

/** Schema per setting key (without the `aicockpit.` prefix), with defaults. */
export const SETTINGS_SCHEMA = {
  outputsFile: z.string().default(""),
  environment: z.string().default(""),
  completionModel: z.string().default(""),
  chatModel: z.string().default(""),
  "manual.baseUrl": optionalUrl.default(""),
  "manual.completionModel": z.string().default(""),
  "manual.chatModel": z.string().default(""),
  /** `auto` guesses from the model name (fallback only). */
  "manual.fimTemplate": z.enum(["auto", ...FIM_TEMPLATES]).default("auto"),
  "manual.maxModelLen": z.number().int().min(256).max(10_000_000).default(8192),
  caFile: z.string().default(""),
  exclude: z.array(z.string()).default([...DEFAULT_EXCLUDE]),
  "inlineCompletions.enabled": z.boolean().default(true),
  /**
   * Offer the chat model to VS Code with tool calling (agent mode, other extensions' tools), for
   * manual setups and deployment outputs that predate their `tool_calling` field; outputs that
   * carry it decide (core/target.ts).
   */
  "chat.toolCalling": z.boolean().default(false),
  debounceMs: z.number().int().min(0).max(5_000).default(120),
  maxTokens: z.number().int().min(1).max(8_192).default(128),
  requestTimeoutMs: z.number().int().min(500).max(600_000).default(15_000),
} as const;

type Schema = typeof SETTINGS_SCHEMA;

/** The validated settings, keyed like the setting ids without `aicockpit.`. */
export type AiCockpitSettings = { [K in keyof Schema]: z.output<Schema[K]> };

/** Setting keys (without `aicockpit.`), e.g. for `configuration.get(key)`. */
export const SETTING_KEYS = Object.keys(SETTINGS_SCHEMA) as (keyof AiCockpitSettings)[];

/** Result of {@link parseSettings}: usable settings plus what was wrong. */
export interface ParsedSettings {
  settings: AiCockpitSettings;
  /** e.g. `aicockpit.debounceMs: Too big: expected number to be <=5000 (using 120)`. */
  problems: string[];
}

/**
 * Validates raw values (`{ "manual.baseUrl": …, debounceMs: … }`; missing keys take defaults).
 * The glue builds `raw` from `workspace.getConfiguration("aicockpit").get(key)` for each key.
 */
export function parseSettings(raw: Readonly<Record<string, unknown>>): ParsedSettings {
  const problems: string[] = [];
  const settings: Record<string, unknown> = {};
  for (const key of SETTING_KEYS) {
    const schema = SETTINGS_SCHEMA[key] as z.ZodType;
    const value = raw[key] === null ? undefined : raw[key];
    const parsed = schema.safeParse(value);
    if (parsed.success) {
      settings[key] = parsed.data;
      continue;
    }
    const fallback = schema.parse(undefined);
    settings[key] = fallback;
    const message = parsed.error.issues.map((i) => i.message).join("; ");
    problems.push(`aicockpit.${key}: ${message} (using ${JSON.stringify(fallback)})`);
  }
  return { settings: settings as AiCockpitSettings, problems };
}

/** The defaults of every setting. */
export function defaultSettings(): AiCockpitSettings {
  return parseSettings({}).settings;
}
