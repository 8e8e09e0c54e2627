-- Dangerous attachments by file name and declared type. File names are
-- decoded (RFC 2231, RFC 2047) by the MIME parser. See README.md.

rule { name = "ATTACH_EXECUTABLE", target = "attachment_name", flags = "i", score = 4.0,
       pattern = [[\.(exe|scr|pif|com|cpl|msi|msp|bat|cmd|vbs|vbe|js|jse|wsf|wsh|hta|ps1|lnk|jar|reg|scf)\s*$]],
       description = "Executable or script attached" }

rule { name = "ATTACH_DOUBLE_EXTENSION", target = "attachment_name", flags = "i", score = 3.0,
       pattern = [[\.(pdf|docx?|xlsx?|pptx?|txt|rtf|jpe?g|png|gif|zip|html?)\s*\.(exe|scr|pif|com|bat|cmd|vbs|js|hta|lnk|iso|img)\s*$]],
       description = "Document-looking name hiding a program (invoice.pdf.exe)" }

rule { name = "ATTACH_DISK_IMAGE", target = "attachment_name", flags = "i", score = 2.5,
       pattern = [[\.(iso|img|vhdx?|udf)\s*$]],
       description = "Disk image attached (used to smuggle programs past filters)" }

rule { name = "ATTACH_OFFICE_MACRO", target = "attachment_name", flags = "i", score = 1.5,
       pattern = [[\.(docm|dotm|xlsm|xltm|xlam|pptm|potm|ppsm|sldm)\s*$]],
       description = "Macro-enabled Office document attached" }

rule { name = "ATTACH_HTML", target = "attachment_name", flags = "i", score = 1.0,
       pattern = [[\.(html?|shtml|xhtml|svg)\s*$]],
       description = "HTML or SVG attachment (local phishing pages)" }

rule { name = "ATTACH_EXECUTABLE_TYPE", target = "attachment_type", flags = "i", score = 3.0, whole = true,
       pattern = [[application/(x-msdownload|x-msdos-program|x-dosexec|x-ms-installer|x-msi|hta|x-sh|x-bat)]],
       description = "Attachment declared as a program" }
