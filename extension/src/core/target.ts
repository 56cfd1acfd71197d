/**
 * What the extension talks to: from the deployment outputs when loaded, else from the
 * `aicockpit.manual.*` settings (any OpenAI-compatible server).
 */
import { type FimFamily, guessFimFamily } from "./fim";
import { type Endpoint, selectEndpoints } from "./outputs";
import type { AiCockpitSettings } from "./settings";

/** A model at a base URL. Completion and chat may live behind different URLs. */
export interface ModelRef {
  baseUrl: string;
  model: string;
  maxModelLen: number;
  /** The server parses tool calls for this model (chat with tools, agent mode). */
  toolCalling: boolean;
}

/** A completion model also needs its FIM family. */
export interface CompletionModelRef extends ModelRef {
  fimFamily: FimFamily;
  /** True when the family was guessed from the name (manual setup with `auto`). */
  fimGuessed: boolean;
}

/** The resolved configuration. */
export interface ModelTarget {
  source: "deployment" | "manual";
  environment?: string;
  completion?: CompletionModelRef;
  chat?: ModelRef;
  /** Things the user should know (unknown model, guessed family, …). */
  notes: string[];
}

/** The outputs say whether the server parses tool calls; the setting speaks only for outputs that predate the field. */
function fromEndpoint(e: Endpoint, settings: AiCockpitSettings): ModelRef {
  const toolCalling = e.toolCalling ?? settings["chat.toolCalling"];
  return { baseUrl: e.baseUrl, model: e.servedModelName, maxModelLen: e.maxModelLen, toolCalling };
}

/** Resolves from deployment endpoints, honouring the environment/model settings. */
export function resolveDeploymentTarget(endpoints: readonly Endpoint[], settings: AiCockpitSettings): ModelTarget {
  const selection = selectEndpoints(endpoints, {
    environment: settings.environment,
    completionModel: settings.completionModel,
    chatModel: settings.chatModel,
  });
  const notes = [...selection.notes];
  const c = selection.completion;
  const completion =
    c && c.fimTemplate !== "none" ? { ...fromEndpoint(c, settings), fimFamily: c.fimTemplate, fimGuessed: false } : undefined;
  if (!completion) notes.push(`No model in environment "${selection.environment}" serves inline completions.`);
  const chat = selection.chat ? fromEndpoint(selection.chat, settings) : undefined;
  if (!chat) notes.push(`No model in environment "${selection.environment}" serves chat.`);
  return { source: "deployment", environment: selection.environment, completion, chat, notes };
}

/** Resolves from `aicockpit.manual.*`; undefined when no manual base URL is set. */
export function resolveManualTarget(settings: AiCockpitSettings): ModelTarget | undefined {
  const baseUrl = settings["manual.baseUrl"].replace(/\/+$/, "");
  if (!baseUrl) return undefined;
  const notes: string[] = [];
  const maxModelLen = settings["manual.maxModelLen"];
  const toolCalling = settings["chat.toolCalling"];
  const completionModel = settings["manual.completionModel"];
  const chatModel = settings["manual.chatModel"] || completionModel;
  let completion: CompletionModelRef | undefined;
  if (completionModel) {
    const configured = settings["manual.fimTemplate"];
    if (configured === "none") notes.push('Inline completions are off: aicockpit.manual.fimTemplate is "none".');
    else if (configured !== "auto")
      completion = { baseUrl, model: completionModel, maxModelLen, toolCalling, fimFamily: configured, fimGuessed: false };
    else {
      const guessed = guessFimFamily(completionModel);
      if (guessed) {
        completion = { baseUrl, model: completionModel, maxModelLen, toolCalling, fimFamily: guessed, fimGuessed: true };
        notes.push(`FIM template "${guessed}" guessed from the model name; set aicockpit.manual.fimTemplate to be sure.`);
      } else {
        notes.push(`Cannot tell the FIM template of "${completionModel}"; set aicockpit.manual.fimTemplate.`);
      }
    }
  }
  const chat = chatModel ? { baseUrl, model: chatModel, maxModelLen, toolCalling } : undefined;
  return { source: "manual", completion, chat, notes };
}

/** Deployment first (when endpoints are loaded), manual settings otherwise. */
export function resolveTarget(settings: AiCockpitSettings, endpoints?: readonly Endpoint[]): ModelTarget | undefined {
  if (endpoints && endpoints.length > 0) return resolveDeploymentTarget(endpoints, settings);
  return resolveManualTarget(settings);
}
