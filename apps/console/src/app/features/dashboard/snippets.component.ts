import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { I18nService } from '../../core/i18n/i18n.service';
import { CopyButtonComponent } from '../../shared/copy-button.component';

type SnippetId = 'openai' | 'anthropic' | 'curl' | 'claude';

/** The relay's base URL and copy-ready client set-ups (the key stays a placeholder: keys are shown once). */
@Component({
  selector: 'mr-snippets',
  imports: [CopyButtonComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="card snippets" data-testid="snippets">
      <h3>{{ t('dash.connect') }}</h3>
      <div class="base-url">
        <span>{{ t('dash.baseUrl') }}</span>
        <code data-testid="base-url">{{ base }}/v1</code>
        <mr-copy-button [text]="base + '/v1'" />
      </div>
      <p class="muted">{{ t('dash.keyHint') }}</p>
      <div class="tabs" role="tablist">
        @for (s of ids; track s) {
          <button
            type="button"
            role="tab"
            [class.active]="current() === s"
            [attr.data-testid]="'snippet-' + s"
            (click)="current.set(s)"
          >
            {{ names[s] }}
          </button>
        }
      </div>
      <div class="snippet">
        <mr-copy-button [text]="code()" />
        <pre data-testid="snippet-code">{{ code() }}</pre>
      </div>
    </section>
  `,
})
export class SnippetsComponent {
  protected readonly t = inject(I18nService).t;
  protected readonly base = location.origin;
  protected readonly ids: SnippetId[] = ['openai', 'anthropic', 'curl', 'claude'];
  protected readonly names: Record<SnippetId, string> = {
    openai: 'OpenAI SDK',
    anthropic: 'Anthropic SDK',
    curl: 'curl',
    claude: 'Claude Code',
  };
  protected readonly current = signal<SnippetId>('openai');
  protected readonly code = computed(() => snippet(this.current(), this.base));
}

export function snippet(id: SnippetId, base: string): string {
  switch (id) {
    case 'openai':
      return `import OpenAI from 'openai';

const client = new OpenAI({ baseURL: '${base}/v1', apiKey: process.env.MONORELAY_KEY });
const completion = await client.chat.completions.create({
  model: 'gpt-4o-mini',
  messages: [{ role: 'user', content: 'Say hello' }],
});
console.log(completion.choices[0].message.content);`;
    case 'anthropic':
      return `import Anthropic from '@anthropic-ai/sdk';

const client = new Anthropic({ baseURL: '${base}', apiKey: process.env.MONORELAY_KEY });
const message = await client.messages.create({
  model: 'claude-sonnet-4-5',
  max_tokens: 1024,
  messages: [{ role: 'user', content: 'Say hello' }],
});
console.log(message.content);`;
    case 'curl':
      return `curl ${base}/v1/chat/completions \\
  -H "Authorization: Bearer $MONORELAY_KEY" \\
  -H "Content-Type: application/json" \\
  -d '{"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "Say hello"}]}'`;
    case 'claude':
      return `export ANTHROPIC_BASE_URL=${base}
export ANTHROPIC_AUTH_TOKEN=$MONORELAY_KEY
claude`;
  }
}
