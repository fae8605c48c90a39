/**
 * The error catalogue: every code a PlannerError (or a lint problem of a built-in check) can carry, its exit class
 * and a one-line meaning. The one list: `PlannerError.code` is typed as its keys, `exitCodeFor` reads the classes,
 * and `npm run gen:errors` writes docs/errors.md from it (test/core/error-catalogue.test.ts keeps that file current).
 *
 * Adding a code is one line here. A code not listed is a type error at the `new PlannerError('…')` that uses it:
 * "Argument of type '"…"' is not assignable to parameter of type 'keyof ErrorCatalogue'".
 *
 * Exit classes (the CLI's exit code when the error ends a command): `usage` 2, bad usage or a bad input file;
 * `failure` 1, a failed operation.
 */

export type ExitClass = 'usage' | 'failure';

export interface CatalogueEntry {
  readonly exit: ExitClass;
  readonly meaning: string;
}

export const ERROR_CATALOGUE = {
  // configuration and usage
  CONFIG_INVALID: {
    exit: 'usage',
    meaning: 'The kernel config has a wrong type, a bad value or a missing required key.',
  },
  CONFIG_PARSE: { exit: 'usage', meaning: 'The kernel config file is not valid YAML/JSON.' },
  USAGE: { exit: 'usage', meaning: 'Bad command-line usage: an unknown, missing or malformed option.' },
  INPUT_INVALID: {
    exit: 'usage',
    meaning: 'An input file (planner input, features, issues, universe) is unreadable or invalid.',
  },
  // bundles
  BUNDLE_NOT_FOUND: { exit: 'usage', meaning: 'The bundle directory does not exist.' },
  BUNDLE_FILE_MISSING: { exit: 'usage', meaning: 'A file the bundle needs is missing.' },
  BUNDLE_JSON_INVALID: { exit: 'usage', meaning: 'A JSON file of the bundle does not parse.' },
  BUNDLE_SCHEMA: { exit: 'usage', meaning: 'A JSON file of the bundle does not match its schema.' },
  BUNDLE_PATH_ESCAPE: {
    exit: 'usage',
    meaning: 'A bundle file resolves outside the bundle directory (symlink or ../).',
  },
  BUNDLE_FILE_TOO_LARGE: {
    exit: 'usage',
    meaning: 'A bundle file is larger than the read cap; refused before reading.',
  },
  BUNDLE_SHAPE_MISMATCH: {
    exit: 'usage',
    meaning: "The model's shapes disagree with config.json or the action space.",
  },
  BUNDLE_CHECKSUM_MISMATCH: { exit: 'usage', meaning: "A file's sha256 or size differs from metadata.json." },
  BUNDLE_UNTRUSTED: {
    exit: 'usage',
    meaning: "The bundle's digest is not the expected one or not on trusted_digests.",
  },
  BUNDLE_METADATA_MISSING: {
    exit: 'usage',
    meaning: 'Lint warning: no metadata.json, so no provenance and no checksums.',
  },
  BUNDLE_CHECKSUMS_MISSING: { exit: 'usage', meaning: 'Lint warning: metadata.json lists no per-file sha256.' },
  BUNDLE_MODEL_MISSING: {
    exit: 'usage',
    meaning: 'No registered backend can serve the bundle: no model file, or model.onnx is a directory or a FIFO.',
  },
  BUNDLE_BACKEND_UNDETERMINED: {
    exit: 'usage',
    meaning: 'Lint warning: nothing says which backend the bundle is for.',
  },
  ACTION_SPACE_INVALID: {
    exit: 'usage',
    meaning: 'action_space.json is inconsistent (bins, swarm ids, validity rules).',
  },
  CALIBRATION_INVALID: { exit: 'usage', meaning: 'calibration.json has a bad temperature.' },
  CALIBRATION_MISSING: { exit: 'usage', meaning: 'Lint warning: no calibration.json (temperatures default to 1).' },
  BUNDLE_CHECK_FAILED: {
    exit: 'usage',
    meaning: "A third-party backend's bundle check refused the bundle (its own code in context.problemCode).",
  },
  SWARM_UNKNOWN: { exit: 'usage', meaning: 'A swarm id of the action space is not in the given universe.' },
  // encoders
  ENCODER_INVALID_INPUT: {
    exit: 'failure',
    meaning: 'A planner input cannot be encoded (a field of the wrong type or range).',
  },
  ENCODER_DIM_MISMATCH: { exit: 'failure', meaning: "The encoder's output width differs from the model's input." },
  ENCODER_UNKNOWN: { exit: 'usage', meaning: 'The bundle names an encoder this runtime does not have.' },
  VOCAB_INVALID: { exit: 'usage', meaning: 'vocab.json is invalid (missing [PAD]/[UNK], duplicate ids).' },
  // backends and plugins
  BACKEND_UNKNOWN: { exit: 'failure', meaning: 'No registered backend has that name or alias.' },
  BACKEND_INIT_FAILED: {
    exit: 'failure',
    meaning: "A backend's init() failed (its runtime library cannot load here).",
  },
  BACKEND_UNAVAILABLE: { exit: 'failure', meaning: 'The backend cannot run on this machine.' },
  BACKEND_DUPLICATE: {
    exit: 'failure',
    meaning: 'Two backends claim one name with one priority, or a name/alias another backend has.',
  },
  PLUGIN_LOAD_FAILED: {
    exit: 'usage',
    meaning: 'A plugin package or file (--plugin, planner.plugins) cannot be resolved or imported.',
  },
  PLUGIN_LOAD_TIMEOUT: {
    exit: 'usage',
    meaning: "A plugin's import did not settle within planner.inference.load_timeout_ms.",
  },
  PLUGIN_INVALID: {
    exit: 'usage',
    meaning: 'A module is not a valid backend plugin (each bad field is named), or lacks its factory.',
  },
  PLUGIN_LINT_FAILED: { exit: 'failure', meaning: "A backend's own lint checks crashed." },
  MODEL_LOAD_FAILED: { exit: 'failure', meaning: 'No backend could load the bundle (the attempts say why).' },
  SESSION_DISPOSED: { exit: 'failure', meaning: 'A session was used after dispose().' },
  // onnx backend
  ONNX_PROTO_INVALID: { exit: 'usage', meaning: 'model.onnx is not a readable ONNX protobuf.' },
  ONNX_INPUT_MISMATCH: { exit: 'usage', meaning: "model.onnx's inputs are not the ones the bundle's encoder feeds." },
  ONNX_OUTPUT_MISMATCH: { exit: 'usage', meaning: "model.onnx's outputs are not the four heads of the action space." },
  ONNX_WEIGHTS_NONFINITE: { exit: 'usage', meaning: "model.onnx's stored weights hold NaN or Inf." },
  ONNX_EXTERNAL_DATA: { exit: 'usage', meaning: 'model.onnx refers to external data files, which are refused.' },
  ONNX_THREAD_EXITED: {
    exit: 'failure',
    meaning:
      'The onnx worker thread (runIn: worker) exited during a run; the next call restarts it (3 times in a row).',
  },
  // tfjs backend and torch checkpoints
  TFJS_WEIGHTS_MISMATCH: {
    exit: 'usage',
    meaning: "model.json's weight manifest disagrees with its shards or the model.",
  },
  TORCH_FORMAT_INVALID: { exit: 'usage', meaning: 'The file is not a readable zip-format torch checkpoint.' },
  TORCH_LEGACY_FORMAT: { exit: 'usage', meaning: 'The checkpoint uses the legacy (pre-1.6) torch format.' },
  TORCH_BYTEORDER_UNSUPPORTED: { exit: 'usage', meaning: 'The checkpoint was saved big-endian.' },
  TORCH_DTYPE_UNSUPPORTED: { exit: 'usage', meaning: 'A tensor of the checkpoint is not a float type.' },
  TORCH_NOT_STATE_DICT: { exit: 'usage', meaning: 'The checkpoint is not a state_dict of tensors.' },
  TORCH_STATE_DICT_MISMATCH: {
    exit: 'usage',
    meaning: "The state_dict's keys or shapes do not fit config.json and the action space.",
  },
  PICKLE_CORRUPT: { exit: 'usage', meaning: 'The pickle inside the checkpoint is truncated or malformed.' },
  PICKLE_GLOBAL_FORBIDDEN: { exit: 'usage', meaning: 'The pickle names a global outside the weights-only allow-list.' },
  PICKLE_UNSUPPORTED_OPCODE: {
    exit: 'usage',
    meaning: 'The pickle uses an opcode the restricted unpickler does not run.',
  },
  PICKLE_UNSUPPORTED_VALUE: { exit: 'usage', meaning: 'The pickle builds a value a state_dict does not hold.' },
  ZIP_CORRUPT: { exit: 'usage', meaning: 'The checkpoint archive is not a readable zip.' },
  ZIP_TOO_LARGE: { exit: 'usage', meaning: 'The checkpoint archive holds too many entries or bytes; not inflated.' },
  // inference
  INFERENCE_FAILED: { exit: 'failure', meaning: 'The model failed to run on an input.' },
  INFERENCE_TIMEOUT: { exit: 'failure', meaning: 'Inference did not finish within its time budget.' },
  MODEL_UNAVAILABLE: {
    exit: 'failure',
    meaning: 'No worker can serve the model (it could not be reloaded after a crash); the heuristic answers.',
  },
  LOGITS_INVALID: { exit: 'failure', meaning: 'The model returned logits of the wrong length, NaN or Inf.' },
  // isolation workers
  WORKER_ENTRY_MISSING: { exit: 'failure', meaning: 'The isolation worker script does not exist (build first).' },
  WORKER_LOAD_TIMEOUT: {
    exit: 'failure',
    meaning: 'An isolation worker did not load the model within load_timeout_ms.',
  },
  WORKER_LOAD_FAILED: { exit: 'failure', meaning: 'An isolation worker could not load the model.' },
  WORKER_CRASHED: { exit: 'failure', meaning: 'An isolation worker exited or misbehaved while loading or answering.' },
  WORKER_FRAME_INVALID: {
    exit: 'failure',
    meaning: 'A frame on the isolation pipe does not fit its layout; the worker is killed and replaced.',
  },
  WORKER_MODEL_UNAVAILABLE: {
    exit: 'failure',
    meaning: 'An isolation worker could load only the heuristic, not the model.',
  },
  WORKER_NOT_LOADED: { exit: 'failure', meaning: 'An isolation worker got a call before its model loaded.' },
  WORKER_REMOTE_ONLY: {
    exit: 'failure',
    meaning: 'A backend known only inside an isolation worker was asked for a local session.',
  },
  // records, io, anything else
  RECORD_INVALID: { exit: 'failure', meaning: 'A record the kernel writes does not match its schema (a bug).' },
  WORKCELLS_LOCKED: {
    exit: 'failure',
    meaning: 'Another run holds the workcells directory lock (.cyntra-run.lock); wait for it or stop it.',
  },
  LOG_WRITE_FAILED: {
    exit: 'failure',
    meaning: 'Warning: log lines could not be written (a stuck or closed stderr, a full device) and were dropped.',
  },
  QUEUE_UNAVAILABLE: {
    exit: 'failure',
    meaning: 'The Redis issue queue cannot be reached (kernel.queue.url, --queue).',
  },
  IO_FAILED: { exit: 'failure', meaning: 'Reading or writing a file failed (permissions, full disk).' },
  INTERNAL: { exit: 'failure', meaning: 'An unexpected error inside a check; reported rather than thrown.' },
  UNKNOWN: { exit: 'failure', meaning: 'A thrown value that carried no code.' },
  // rollout: report, metrics, challengers, hot reload
  WORKCELLS_NOT_FOUND: { exit: 'usage', meaning: 'The workcells directory given to `report` does not exist.' },
  WORKCELLS_EMPTY: { exit: 'usage', meaning: 'The workcells directory given to `report` holds no workcell.' },
  METRICS_PORT_IN_USE: { exit: 'usage', meaning: 'The metrics port (kernel.metrics.port) is already in use.' },
  METRICS_LISTEN_FAILED: {
    exit: 'failure',
    meaning: 'The metrics server could not listen on kernel.metrics.host:port.',
  },
  CHALLENGER_NOT_FOUND: {
    exit: 'usage',
    meaning: 'A challenger bundle path (planner.challengers, --challenger) does not exist.',
  },
  RELOAD_REFUSED: { exit: 'failure', meaning: 'A hot reload refused the new bundle; the old one keeps serving.' },
} as const satisfies Readonly<Record<string, CatalogueEntry>>;

type CatalogueType = typeof ERROR_CATALOGUE;
/** The catalogue's type, named so that a type error reads "not assignable to … 'keyof ErrorCatalogue'". */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface ErrorCatalogue extends CatalogueType {}

/** Every code of the catalogue. */
export type ErrorCode = keyof ErrorCatalogue;

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_CATALOGUE, value);
}

/** The exit class of a code; `failure` for anything not in the catalogue (a plain JS caller's own string). */
export function exitClassOf(code: unknown): ExitClass {
  return isErrorCode(code) ? ERROR_CATALOGUE[code].exit : 'failure';
}

/** The codes as constants: `ErrorCodes.USAGE === 'USAGE'`. */
export const ErrorCodes = Object.freeze(Object.fromEntries(Object.keys(ERROR_CATALOGUE).map((c) => [c, c]))) as {
  readonly [C in ErrorCode]: C;
};
