import type { z } from 'zod';

/**
 * One cross-field check written once and enforced twice: as a zod refinement (runtime validation in
 * the operator, client and tests) and as a CEL rule in the CRD (`x-kubernetes-validations`, checked
 * by the API server). Both report the same message on the same field.
 */
export interface CrossFieldRule<T> {
  /** CEL expression over `self` (the object the rule is attached to); true when valid. */
  rule: string;
  /** What is wrong and how to fix it; the same text in the CRD and in zod issues. */
  message: string;
  /** Field the error points at, relative to the object, as CEL writes it (`.minReplicas`); absent = the object itself. */
  fieldPath?: string;
  /** Kubernetes error reason. */
  reason: 'FieldValueInvalid' | 'FieldValueForbidden' | 'FieldValueRequired' | 'FieldValueDuplicate';
  /** The same check in TypeScript; true when valid. */
  holds: (value: T) => boolean;
}

/** The CRD form of a rule. */
export interface CelValidation {
  rule: string;
  message: string;
  fieldPath?: string;
  reason: CrossFieldRule<unknown>['reason'];
}

/**
 * Attaches rules to an object schema: a refinement per rule (issue path = fieldPath) and the CEL
 * list as `x-kubernetes-validations` metadata, which the CRD generator carries into the schema.
 */
export function withCrossFieldRules<S extends z.ZodType>(
  schema: S,
  rules: readonly CrossFieldRule<z.output<S>>[],
): S {
  const refined = schema.superRefine((value, ctx) => {
    for (const rule of rules) {
      if (!holdsOrFieldInvalid(rule, value)) {
        ctx.addIssue({
          code: 'custom',
          message: rule.message,
          path: rule.fieldPath ? rule.fieldPath.replace(/^\./, '').split('.') : [],
        });
      }
    }
  });
  const validations: CelValidation[] = rules.map(({ rule, message, fieldPath, reason }) =>
    fieldPath ? { rule, message, fieldPath, reason } : { rule, message, reason },
  );
  return refined.meta({ 'x-kubernetes-validations': validations }) as S;
}

/**
 * Zod runs refinements even after a field failed its own check (a bad duration, say); a holds()
 * that throws on such a value has nothing to add to the issue already reported for that field.
 */
function holdsOrFieldInvalid<T>(rule: CrossFieldRule<T>, value: T): boolean {
  try {
    return rule.holds(value);
  } catch {
    return true;
  }
}
