/** The first owner's page (`/setup?code=…`, docs/accounts.md): the form posts to /setup with the code from the link. */
export function showSetup(): void {
  const params = new URLSearchParams(location.search);
  (document.getElementById('setup') as HTMLElement).hidden = false;
  (document.getElementById('setup-code') as HTMLInputElement).value = params.get('code') ?? '';
  (document.getElementById('setup-input-error') as HTMLElement).hidden = params.get('failed') !== 'input';
  (document.getElementById('setup-code-error') as HTMLElement).hidden = params.get('failed') !== 'code' && (params.get('code') ?? '') !== '';
  document.title = 'Make the first owner · Tally';
  (document.getElementById('setup-name') as HTMLInputElement).focus();
}
