/**
 * The job type the validity rules are applied with (reference §7.1 step 1: `planner_input.job_type or "code"`).
 * A missing, null or empty-string job type decodes under the `code` rules. No trimming: `" code "` is truthy in
 * Python, so it is used as it is and no `code` rule applies to it. A non-string (schema-invalid) value that Python
 * would find falsy (`0`, `false`) also reads as `code`; any other non-string reads as its JSON text, which matches no rule.
 */
export const DEFAULT_DECODE_JOB_TYPE = 'code';

export function decodeJobType(jobType: unknown): string {
  if (typeof jobType === 'string') return jobType.length > 0 ? jobType : DEFAULT_DECODE_JOB_TYPE;
  if (jobType === undefined || jobType === null || jobType === false || jobType === 0) return DEFAULT_DECODE_JOB_TYPE;
  return JSON.stringify(jobType) ?? DEFAULT_DECODE_JOB_TYPE;
}
