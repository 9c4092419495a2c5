// A step's body rendered for one request, the same on both engines (the k6 runtime bundles it):
// JSON, raw text, a urlencoded form or a multipart body, with the content type it implies.

import type { PlanStep } from './compile.js'
import type { PlanPart } from './compile-session.js'
import { encodeForm, FORM_TYPE } from './form-body.js'
import { multipartBody, type BodyPart } from './multipart.js'
import { render, renderJson, type Template, type Vars } from './template.js'

export interface RenderedBody {
  body: string | Uint8Array | null
  /** the content type the body implies; multipart's carries its boundary, so it always wins */
  contentType: string | null
  forced: boolean
}

const NONE: RenderedBody = { body: null, contentType: null, forced: false }

export function renderBody(
  step: PlanStep,
  vars: Vars,
  onMissing: (name: string) => void,
  fileBytes: (part: PlanPart & { file: unknown }) => Uint8Array,
  boundary: string,
): RenderedBody {
  if (step.body) {
    const body = 'kind' in step.body ? renderJson(step.body, vars, onMissing) : render(step.body, vars, onMissing)
    return { body, contentType: step.isJson ? 'application/json' : null, forced: false }
  }
  if (step.form) return { body: encodeForm(step.form.map(([k, t]) => [k, render(t, vars, onMissing)])), contentType: FORM_TYPE, forced: false }
  if (step.multipart) {
    const parts = step.multipart.map(
      (p): BodyPart =>
        'text' in p
          ? { name: p.name, text: render(p.text as Template, vars, onMissing) }
          : { name: p.name, bytes: fileBytes(p), filename: p.file.filename, contentType: p.file.contentType },
    )
    return { body: multipartBody(parts, boundary), contentType: `multipart/form-data; boundary=${boundary}`, forced: true }
  }
  return NONE
}
