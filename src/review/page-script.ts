// The review page's script, served as /review.js (the page's policy allows scripts from itself
// only). Plain DOM, no library: a click or a submit posts one decision; an action that pays first
// shows its cost and waits for "Pay"; the answer's header and card replace the old ones and focus
// goes back to the control that was used, so the page works from the keyboard alone.
export const REVIEW_SCRIPT = `(function () {
  'use strict';
  var pending = false;
  var message = document.getElementById('message');

  function say(text, bad) {
    message.textContent = text;
    message.className = bad ? 'message bad' : 'message';
  }

  function focusKey(key, fallback) {
    var el = key ? document.querySelector('[data-focus="' + key + '"]') : null;
    if (el && !el.disabled) el.focus();
    else if (fallback) {
      fallback.setAttribute('tabindex', '-1');
      fallback.focus();
    }
  }

  function apply(reply, key) {
    if (reply.header !== undefined) document.getElementById('review-head').innerHTML = reply.header;
    var card = null;
    if (reply.card !== undefined && reply.slide !== undefined) {
      var old = document.getElementById('slide-' + reply.slide);
      if (old) {
        old.outerHTML = reply.card;
        card = document.getElementById('slide-' + reply.slide);
      }
    }
    focusKey(key, card);
  }

  function send(path, body, key, card) {
    if (pending) return;
    pending = true;
    if (card) card.setAttribute('aria-busy', 'true');
    say(body.action === 'write' ? 'Writing the deck…' : 'Working…', false);
    fetch(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      credentials: 'same-origin',
    })
      .then(function (r) {
        if ((r.headers.get('content-type') || '').indexOf('application/json') !== 0) {
          say(
            r.status === 403
              ? 'Refused (403): this page belongs to a review that has stopped; open the URL the review command printed.'
              : 'The review server answered ' + r.status + '.',
            true,
          );
          return;
        }
        return r.json().then(function (reply) {
          apply(reply, key);
          say(reply.message || (r.ok ? 'Done.' : 'Refused.'), !r.ok);
          if (r.ok && body.action === 'render') window.location.reload();
        });
      })
      .catch(function (e) {
        say('The review server did not answer (' + e + '): is it still running?', true);
      })
      .then(function () {
        pending = false;
        if (card && document.body.contains(card)) card.removeAttribute('aria-busy');
      });
  }

  // An action that pays: its cost first, then "Pay" or "Cancel" (Escape cancels too).
  function confirmThen(control, go) {
    var host = control.closest('.rcard') || document.getElementById('review-head');
    var old = host.querySelector('.confirm');
    if (old) old.remove();
    var box = document.createElement('div');
    box.className = 'confirm';
    box.setAttribute('role', 'group');
    box.setAttribute('aria-label', 'Confirm a paid action');
    var text = document.createElement('p');
    text.textContent = control.textContent.trim() + ' pays for ' + control.getAttribute('data-cost') + '.';
    var pay = document.createElement('button');
    pay.type = 'button';
    pay.className = 'primary';
    pay.textContent = 'Pay and go on';
    var cancel = document.createElement('button');
    cancel.type = 'button';
    cancel.className = 'secondary';
    cancel.textContent = 'Cancel';
    box.append(text, pay, cancel);
    (control.closest('.row, .actions, .head-actions') || control).after(box);
    pay.addEventListener('click', function () {
      box.remove();
      go();
    });
    function dismiss() {
      box.remove();
      control.focus();
    }
    cancel.addEventListener('click', dismiss);
    box.addEventListener('keydown', function (e) {
      if (e.key === 'Escape') dismiss();
    });
    pay.focus();
  }

  function bodyOf(control) {
    var action = control.getAttribute('data-action');
    var body = { action: action };
    if (action === 'variant') body.variant = Number(control.getAttribute('data-variant'));
    if (action === 'skip') body.skip = control.getAttribute('data-skip') === 'true';
    if (action === 'placement') body.placement = control.value;
    if (action === 'prompt') body.prompt = control.form.elements.prompt.value;
    return body;
  }

  function run(control) {
    var card = control.closest('.rcard');
    var body = bodyOf(control);
    var key = control.getAttribute('data-focus');
    var path = card ? 'api/slide/' + card.getAttribute('data-slide') : 'api/' + body.action;
    var go = function () {
      send(path, body, key, card);
    };
    if (control.hasAttribute('data-cost')) confirmThen(control, go);
    else go();
  }

  document.addEventListener('click', function (e) {
    var control = e.target.closest('button[data-action]');
    if (!control || control.type === 'submit' || control.disabled) return;
    run(control);
  });
  document.addEventListener('submit', function (e) {
    e.preventDefault();
    var control = e.target.querySelector('button[data-action="prompt"]');
    if (control && !control.disabled) run(control);
  });
  // Ctrl+Enter (Cmd+Enter) in a prompt: regenerate from it.
  document.addEventListener('keydown', function (e) {
    if (e.key !== 'Enter' || !(e.ctrlKey || e.metaKey) || !e.target.matches('textarea[name="prompt"]')) return;
    e.preventDefault();
    var control = e.target.form.querySelector('button[data-action="prompt"]');
    if (control && !control.disabled) run(control);
  });
  document.addEventListener('change', function (e) {
    if (e.target.matches('select[data-action]')) run(e.target);
  });
})();
`;
