/**
 * The closed lists of values environment fields take, declared once: the schema validates
 * against them, the planner and the CLI take their types from them.
 * (Model roles and FIM families belong to the outputs contract, not here.)
 */

/** vLLM `--quantization` of the weights; `none` serves the checkpoint's own 16-bit weights. */
export const QUANTIZATIONS = ["none", "awq", "gptq", "fp8"] as const;
export type Quantization = (typeof QUANTIZATIONS)[number];

/** vLLM `--dtype` the server computes in; `auto` follows the checkpoint. */
export const SERVING_DTYPES = ["auto", "bfloat16", "float16"] as const;
export type ServingDtype = (typeof SERVING_DTYPES)[number];

/** The dtype a checkpoint's weights are published in (config.json `torch_dtype`). */
export const WEIGHT_DTYPES = ["bfloat16", "float16", "float32"] as const;
export type WeightDtype = (typeof WEIGHT_DTYPES)[number];

/** vLLM `--kv-cache-dtype`; `auto` follows the model dtype, `fp8` halves the cache. */
export const KV_CACHE_DTYPES = ["auto", "fp8"] as const;
export type KvCacheDtype = (typeof KV_CACHE_DTYPES)[number];

/** How clients reach the models on an existing cluster (`exposure.type`). */
export const EXPOSURE_TYPES = ["ClusterIP", "NodePort", "LoadBalancer", "Ingress"] as const;
export type ExposureType = (typeof EXPOSURE_TYPES)[number];
