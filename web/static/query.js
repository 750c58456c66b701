// The SPARQL editor: CodeMirror 5 (sparql mode) over the page's textarea, completion of the
// ontology's terms and prefixes, Ctrl+Enter (Cmd+Enter) to run. Without CodeMirror the textarea
// stays and Ctrl+Enter still runs, so the page works whatever loads.
(function () {
  "use strict";
  var form = document.getElementById("query-form");
  var textarea = document.getElementById("query-text");
  var dataBlock = document.getElementById("editor-data");
  if (!form || !textarea || !dataBlock) {
    return;
  }
  var data = JSON.parse(dataBlock.textContent);

  function run() {
    if (form.requestSubmit) {
      form.requestSubmit();
    } else {
      form.submit();
    }
  }

  if (!window.CodeMirror) {
    textarea.addEventListener("keydown", function (event) {
      if ((event.ctrlKey || event.metaKey) && event.key === "Enter") {
        event.preventDefault();
        run();
      }
    });
    return;
  }

  var words = data.completions.slice();
  Object.keys(data.prefixes).forEach(function (prefix) {
    words.push({ text: prefix + ":", displayText: prefix + ":  <" + data.prefixes[prefix] + ">" });
  });
  data.keywords.forEach(function (keyword) {
    words.push({ text: keyword, displayText: keyword });
  });

  function hint(cm) {
    var cursor = cm.getCursor();
    var line = cm.getLine(cursor.line);
    var start = cursor.ch;
    while (start > 0 && /[\w:\-]/.test(line.charAt(start - 1))) {
      start -= 1;
    }
    var typed = line.slice(start, cursor.ch).toLowerCase();
    var local = typed.indexOf(":") >= 0 ? typed : null;
    var list = words.filter(function (word) {
      var text = word.text.toLowerCase();
      if (!typed) {
        return false;
      }
      return local ? text.indexOf(local) === 0 : text.indexOf(typed) === 0 || text.indexOf("avc:" + typed) === 0;
    });
    return { list: list.slice(0, 200), from: CodeMirror.Pos(cursor.line, start), to: CodeMirror.Pos(cursor.line, cursor.ch) };
  }

  var editor = CodeMirror.fromTextArea(textarea, {
    mode: "application/sparql-query",
    lineNumbers: true,
    indentUnit: 2,
    viewportMargin: Infinity,
    extraKeys: {
      "Ctrl-Enter": run,
      "Cmd-Enter": run,
      "Ctrl-Space": "autocomplete"
    },
    hintOptions: { hint: hint, completeSingle: false }
  });
  editor.on("inputRead", function (cm, change) {
    if (change.origin === "+input" && /[\w:]/.test(change.text[change.text.length - 1])) {
      cm.showHint({ hint: hint, completeSingle: false });
    }
  });
  window.queryEditor = editor;
})();
