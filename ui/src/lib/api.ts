// The UI's only door to the core: typed commands from the generated bindings,
// with a core error turned into an exception that carries its kind and field.
import { commands, type ErrorPayload } from "./bindings";

export type Result<T, E> = { status: "ok"; data: T } | { status: "error"; error: E };

export class AppError extends Error {
  readonly kind: string;
  readonly field: string | null;
  constructor(payload: ErrorPayload) {
    super(payload.message);
    this.kind = payload.kind;
    this.field = payload.field;
  }
}

export async function call<T>(pending: Promise<Result<T, ErrorPayload>>): Promise<T> {
  const result = await pending;
  if (result.status === "ok") return result.data;
  throw new AppError(result.error);
}

/** Field errors for a form: the field a core error names, or the form itself. */
export type FormErrors = Record<string, string>;

export function errorsFrom(e: unknown): FormErrors {
  if (e instanceof AppError) return { [e.field ?? "form"]: e.message };
  return { form: e instanceof Error ? e.message : String(e) };
}

/** The message of any failure, for places with no field to put it beside. */
export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export { commands };
