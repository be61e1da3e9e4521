;;; test.el --- Emacs with eglot and the repository's editors/emacs configuration  -*- lexical-binding: t -*-
;; Opens the fixture templates and the Bicep file, waits until flymake shows what the CLI says
;; (or gives up), applies the preferred quick fix in a template and in the Bicep file, and
;; writes what was shown to WPS_RESULTS.

(require 'json)
(require 'cl-lib)
(add-to-list 'load-path (expand-file-name "editors/emacs" (getenv "WPS_REPO")))
(require 'wps-lint)
(setq wps-lint-program (getenv "WPS_BIN"))

(defvar wps-test-expected (json-read-from-string (getenv "WPS_EXPECTED")))
(defvar wps-test-ws (getenv "WPS_WS"))
(defvar wps-test-published nil "Files the server published diagnostics for.")

(advice-add 'eglot-handle-notification :before
            (lambda (_server method &rest params)
              (when (eq method 'textDocument/publishDiagnostics)
                (push (plist-get params :uri) wps-test-published))))

(defun wps-test-keys ()
  "Flymake's wps-lint diagnostics as CODE:LINE:COLUMN, columns in characters."
  (sort (cl-loop for d in (flymake-diagnostics)
                 for text = (flymake-diagnostic-text d)
                 when (string-match "^wps-lint \\[\\([A-Z0-9]+\\)\\]" text)
                 collect (let ((beg (flymake-diagnostic-beg d)))
                           (save-excursion
                             (goto-char beg)
                             (format "%s:%d:%d" (match-string 1 text) (line-number-at-pos beg)
                                     (1+ (- beg (line-beginning-position)))))))
        #'string<))

(defun wps-test-wait (done)
  "Runs the event loop until DONE holds, for at most 30 seconds."
  (let ((deadline (+ (float-time) 30)))
    (while (and (not (funcall done)) (< (float-time) deadline))
      (accept-process-output nil 0.05)
      ;; Eglot sends changes and flymake asks its backends from idle timers, which batch
      ;; Emacs never runs.
      (when (bound-and-true-p eglot--managed-mode)
        (eglot--signal-textDocument/didChange))
      (when (bound-and-true-p flymake-mode)
        (flymake-start)))))

(defun wps-test-published-p (file)
  (cl-some (lambda (uri) (string-suffix-p (concat "/" file) uri)) wps-test-published))

(defun wps-test-fix (name)
  "Applies the preferred quick fix of NAME's WPS103; its codes before and after."
  (with-current-buffer (get-file-buffer (expand-file-name name wps-test-ws))
    (let* ((codes (lambda () (mapcar (lambda (k) (car (split-string k ":"))) (wps-test-keys))))
           (before (funcall codes))
           (finding (cl-find-if (lambda (d) (string-match-p "\\[WPS103\\]" (flymake-diagnostic-text d)))
                                (flymake-diagnostics))))
      (when finding
        (let* ((actions (eglot-code-actions (flymake-diagnostic-beg finding)
                                            (flymake-diagnostic-end finding) "quickfix"))
               (preferred (cl-find-if (lambda (a) (eq (plist-get a :isPreferred) t)) actions)))
          (when preferred
            (eglot--apply-workspace-edit (plist-get preferred :edit)))
          (wps-test-wait (lambda () (not (member "WPS103" (funcall codes)))))))
      (list :before (vconcat before) :after (vconcat (funcall codes))))))

(let ((results (list :diagnostics nil :fixed nil))
      (diagnostics nil))
  (dolist (name '("app.json" "alone.json" "link.bicep"))
    (with-current-buffer (find-file-noselect (expand-file-name name wps-test-ws))
      ;; eglot-ensure connects after the next command; batch Emacs runs no command loop.
      (run-hooks 'post-command-hook)
      (let ((want (append (cdr (assoc (intern name) wps-test-expected)) nil)))
        (wps-test-wait (lambda () (and (wps-test-published-p name)
                                       (equal (wps-test-keys) want))))
        (push (cons name (if (wps-test-published-p name) (vconcat (wps-test-keys)) :null))
              diagnostics))))
  (plist-put results :diagnostics diagnostics)
  (plist-put results :fixed (cl-loop for name in '("alone.json" "link.bicep")
                                     collect (cons name (wps-test-fix name))))
  (with-temp-file (getenv "WPS_RESULTS")
    (insert (json-encode results))))
(kill-emacs 0)
