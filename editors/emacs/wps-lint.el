;;; wps-lint.el --- wps-lint language server for ARM templates, through eglot  -*- lexical-binding: t -*-

;; Starts `wps-lint lsp' with eglot for JSON buffers that are Azure deployment templates or
;; parameter files.  Server settings go in `eglot-workspace-configuration' under `:wps-lint'.

;;; Code:

(require 'eglot)
(require 'project)

(defgroup wps-lint nil
  "The wps-lint language server."
  :group 'tools)

(defcustom wps-lint-program "wps-lint"
  "The wps-lint binary: a name on PATH or a full path."
  :type 'string)

(defconst wps-lint--modes '(js-json-mode json-mode json-ts-mode wps-lint-json-mode)
  "Major modes of JSON buffers.")

;; Emacs 28 opens .json in js-mode; a mode of our own keeps eglot from mixing the server up
;; with a JavaScript one there.
(unless (fboundp 'js-json-mode)
  (define-derived-mode wps-lint-json-mode js-mode "JSON"
    "JSON, for ARM deployment templates.")
  (add-to-list 'auto-mode-alist '("\\.jsonc?\\'" . wps-lint-json-mode)))

(add-to-list 'eglot-server-programs
             `(,wps-lint--modes . ,(lambda (&rest _) (list wps-lint-program "lsp"))))

(defun wps-lint-deployment-file-p ()
  "Whether the buffer names a deployment template or parameters `$schema'."
  (save-excursion
    (goto-char (point-min))
    (let ((case-fold-search t))
      (re-search-forward
       "\"\\$schema\"[ \t\n]*:[ \t\n]*\"[^\"]*deployment\\(template\\|parameters\\)\\.json"
       nil t))))

(defun wps-lint-project-root (dir)
  "The folder with the nearest wps-lint.toml above DIR, as a project for eglot."
  (let ((root (locate-dominating-file dir "wps-lint.toml")))
    (and root (cons 'transient (expand-file-name root)))))

(add-hook 'project-find-functions #'wps-lint-project-root)

(defun wps-lint-maybe-start ()
  "Start eglot in a JSON buffer that is a deployment template or parameter file."
  (when (and buffer-file-name (wps-lint-deployment-file-p))
    (eglot-ensure)))

(dolist (mode wps-lint--modes)
  (add-hook (intern (format "%s-hook" mode)) #'wps-lint-maybe-start))

(provide 'wps-lint)
;;; wps-lint.el ends here
