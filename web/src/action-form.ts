import { ApiError } from './api.js';
import { h, statusLine, uid } from './dom.js';
import { may } from './access.js';
import type { Role } from '../../src/model/accounts.js';

/**
 * A form that changes something: on submit it runs `action` with the form's fields and shows
 * its outcome (or the server's error) in a status line that screen readers announce. It is
 * hidden from users whose role is weaker than `needs` (default admin: a change); a form that only
 * reads passes 'viewer'.
 */
export function actionForm(label: string, controls: readonly HTMLElement[], submit: string, action: (data: FormData) => Promise<string | HTMLElement>, needs: Role = 'admin'): HTMLFormElement {
  const status = statusLine();
  const button = h('button', { type: 'submit' }, submit);
  const titleId = uid('form-title');
  const form = h('form', { class: 'action', 'aria-labelledby': titleId, hidden: !may(needs), 'data-needs': needs }, h('h3', { id: titleId, class: 'form-title' }, label), ...controls, h('div', { class: 'field actions' }, button), status);
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
