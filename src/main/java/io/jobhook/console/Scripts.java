package io.jobhook.console;

/**
 * The pages' small scripts, each for one page, run under the response's CSP nonce. Server-sent
 * events carry the changes; nothing polls.
 */
final class Scripts {
  private Scripts() {}

  /** A job's page: its state, progress, code and message follow the job until it ends. */
  static String jobProgress(String eventsUrl) {
    return """
        (function () {
          var es = new EventSource(%s);
          function show(e) {
            var j = JSON.parse(e.data);
            var state = document.getElementById('state');
            state.textContent = j.state;
            state.className = 'state-' + j.state;
            document.getElementById('progress').value = j.progress;
            document.getElementById('pct').textContent = j.progress + ' %%';
            document.getElementById('code').textContent = j.code;
            document.getElementById('message').textContent = j.message;
          }
          es.addEventListener('job', show);
          es.addEventListener('end', function (e) {
            show(e);
            es.close();
            var done = document.getElementById('ended');
            done.hidden = false;
          });
        })();
        """
        .formatted(quoted(eventsUrl));
  }

  /** The jobs list: rows follow their jobs; a new job brings the fresh list in. */
  static String jobList(String eventsUrl) {
    return """
        (function () {
          var es = new EventSource(%s);
          es.addEventListener('jobs', function (e) {
            var jobs = JSON.parse(e.data).jobs;
            var rows = {};
            document.querySelectorAll('#jobs tbody tr[data-job]').forEach(function (tr) {
              rows[tr.getAttribute('data-job')] = tr;
            });
            var missing = false;
            jobs.forEach(function (j) {
              var tr = rows[j.id];
              if (!tr) { missing = true; return; }
              var cell = tr.querySelector('.state');
              cell.textContent = j.state;
              cell.className = 'state state-' + j.state;
              tr.querySelector('progress').value = j.progress;
              tr.querySelector('.pct').textContent = j.progress + ' %%';
            });
            if (missing) {
              fetch(location.href, { credentials: 'same-origin' })
                .then(function (r) { return r.text(); })
                .then(function (html) {
                  var fresh = new DOMParser().parseFromString(html, 'text/html');
                  var tbody = fresh.querySelector('#jobs tbody');
                  if (tbody) {
                    document.querySelector('#jobs tbody').replaceWith(tbody);
                    document.getElementById('live').textContent =
                      'Updated ' + new Date().toLocaleTimeString();
                  }
                });
            }
          });
        })();
        """
        .formatted(quoted(eventsUrl));
  }

  private static String quoted(String url) {
    return "'" + url.replace("\\", "\\\\").replace("'", "\\'").replace("<", "\\u003c") + "'";
  }
}
