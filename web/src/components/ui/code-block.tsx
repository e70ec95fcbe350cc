import { useState } from 'react';

interface CodeBlockProps {
  code: string;
  label: string;
}

/** A copyable snippet: the empty states hand operators commands to paste. */
export function CodeBlock({ code, label }: CodeBlockProps) {
  const [copied, setCopied] = useState(false);
  const copy = () => {
    // Clipboard access needs a secure context; the text stays selectable otherwise.
    void navigator.clipboard?.writeText(code).then(
      () => setCopied(true),
      () => setCopied(false),
    );
  };
  return (
    <div className="code-block">
      <div className="code-block-header">
        <span>{label}</span>
        <button type="button" className="button button-small" onClick={copy}>
          {copied ? 'Copied' : 'Copy'}
        </button>
      </div>
      <pre>
        <code>{code}</code>
      </pre>
    </div>
  );
}
