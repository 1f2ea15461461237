import { ApiError } from './api.js';
import { h, statusLine, uid } from './dom.js';

/**
 * A form that changes something: on submit it runs `action` with the form's fields and shows
 * its outcome (or the server's error) in a status line that screen readers announce.
 */
export function actionForm(label: string, controls: readonly HTMLElement[], submit: string, action: (data: FormData) => Promise<string | HTMLElement>): HTMLFormElement {
  const status = statusLine();
  const button = h('button', { type: 'submit' }, submit);
  const titleId = uid('form-title');
  const form = h('form', { class: 'action', 'aria-labelledby': titleId }, h('h3', { id: titleId, class: 'form-title' }, label), ...controls, h('div', { class: 'field actions' }, button), status);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    button.disabled = true;
    status.classList.remove('error');
    action(new FormData(form))
      .then((outcome) => status.replaceChildren(outcome))
      .catch((error: unknown) => {
        status.classList.add('error');
        status.textContent = error instanceof ApiError ? error.detail : String(error);
      })
      .finally(() => {
        button.disabled = false;
      });
  });
  return form;
}

/** A FormData field as trimmed text ('' when absent or a file). */
export function textOf(data: FormData, name: string): string {
  const value = data.get(name);
  return typeof value === 'string' ? value.trim() : '';
}
