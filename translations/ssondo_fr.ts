<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr_FR">
<context>
    <name>ssondo::ui::AddDatasetDialog</name>
    <message>
        <source>Decode every file (finds truncated and NaN-filled files; slower)</source>
        <translation>Décoder chaque fichier (trouve les fichiers tronqués ou remplis de NaN ; plus lent)</translation>
    </message>
    <message>
        <source>Add a dataset</source>
        <translation>Ajouter un jeu de données</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Parcourir…</translation>
    </message>
    <message>
        <source>Sub-folder names</source>
        <translation>Noms des sous-dossiers</translation>
    </message>
    <message>
        <source>CSV file (path,label[,fold[,split]])</source>
        <translation>Fichier CSV (chemin,étiquette[,pli[,partition]])</translation>
    </message>
    <message>
        <source>No labels</source>
        <translation>Sans étiquettes</translation>
    </message>
    <message>
        <source>the folder's name</source>
        <translation>le nom du dossier</translation>
    </message>
    <message>
        <source>Folder:</source>
        <translation>Dossier :</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>Nom :</translation>
    </message>
    <message>
        <source>Labels:</source>
        <translation>Étiquettes :</translation>
    </message>
    <message>
        <source>Label file:</source>
        <translation>Fichier d'étiquettes :</translation>
    </message>
    <message>
        <source>Command:</source>
        <translation>Commande :</translation>
    </message>
    <message>
        <source>Scan</source>
        <translation>Analyser</translation>
    </message>
    <message>
        <source>Folder of audio files</source>
        <translation>Dossier de fichiers audio</translation>
    </message>
    <message>
        <source>Label file</source>
        <translation>Fichier d'étiquettes</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>Fichiers CSV (*.csv)</translation>
    </message>
</context>
<context>
    <name>ssondo::ui::ClipTableModel</name>
    <message>
        <source>ok</source>
        <translation>ok</translation>
    </message>
    <message>
        <source>Path</source>
        <translation>Chemin</translation>
    </message>
    <message>
        <source>Label</source>
        <translation>Étiquette</translation>
    </message>
    <message>
        <source>Fold</source>
        <translation>Pli</translation>
    </message>
    <message>
        <source>Split</source>
        <translation>Partition</translation>
    </message>
    <message>
        <source>Duration (s)</source>
        <translation>Durée (s)</translation>
    </message>
    <message>
        <source>Sample rate</source>
        <translation>Fréquence d'échantillonnage</translation>
    </message>
    <message>
        <source>Channels</source>
        <translation>Canaux</translation>
    </message>
    <message>
        <source>Format</source>
        <translation>Format</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>État</translation>
    </message>
</context>
<context>
    <name>ssondo::ui::DataPage</name>
    <message>
        <source>Add dataset…</source>
        <translation>Ajouter un jeu de données…</translation>
    </message>
    <message>
        <source>Rescan</source>
        <translation>Réanalyser</translation>
    </message>
    <message>
        <source>Scan the dataset's folder again (new, removed or changed files)</source>
        <translation>Analyser à nouveau le dossier du jeu de données (fichiers nouveaux, supprimés ou modifiés)</translation>
    </message>
    <message>
        <source>Dataset:</source>
        <translation>Jeu de données :</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>Résumé</translation>
    </message>
    <message>
        <source>Unreadable files and warnings</source>
        <translation>Fichiers illisibles et avertissements</translation>
    </message>
    <message>
        <source>Clips per label</source>
        <translation>Extraits par étiquette</translation>
    </message>
    <message>
        <source>Filter clips (path, label, format…)</source>
        <translation>Filtrer les extraits (chemin, étiquette, format…)</translation>
    </message>
    <message>
        <source>No dataset yet. Use &lt;b&gt;Add dataset…&lt;/b&gt; to scan a folder of audio.</source>
        <translation>Pas encore de jeu de données. Utilisez &lt;b&gt;Ajouter un jeu de données…&lt;/b&gt; pour analyser un dossier d'audio.</translation>
    </message>
    <message>
        <source>No workspace is open.</source>
        <translation>Aucun espace de travail n'est ouvert.</translation>
    </message>
    <message>
        <source>&lt;table cellspacing=3&gt;&lt;tr&gt;&lt;td&gt;&lt;b&gt;Root&lt;/b&gt;&lt;/td&gt;&lt;td&gt;%1&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;&lt;b&gt;Clips&lt;/b&gt;&lt;/td&gt;&lt;td&gt;%2 readable, %3 unreadable&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;&lt;b&gt;Duration&lt;/b&gt;&lt;/td&gt;&lt;td&gt;%4 h (%5–%6 s per clip)&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;&lt;b&gt;Sample rates&lt;/b&gt;&lt;/td&gt;&lt;td&gt;%7&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;&lt;b&gt;Channels&lt;/b&gt;&lt;/td&gt;&lt;td&gt;%8&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;&lt;b&gt;Formats&lt;/b&gt;&lt;/td&gt;&lt;td&gt;%9&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;&lt;b&gt;Labels&lt;/b&gt;&lt;/td&gt;&lt;td&gt;%10 from %11%12&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;&lt;b&gt;Version&lt;/b&gt;&lt;/td&gt;&lt;td&gt;%13 (scanned %14)&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;</source>
        <translation>&lt;table cellspacing=3&gt;&lt;tr&gt;&lt;td&gt;&lt;b&gt;Racine&lt;/b&gt;&lt;/td&gt;&lt;td&gt;%1&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;&lt;b&gt;Extraits&lt;/b&gt;&lt;/td&gt;&lt;td&gt;%2 lisibles, %3 illisibles&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;&lt;b&gt;Durée&lt;/b&gt;&lt;/td&gt;&lt;td&gt;%4 h (%5–%6 s par extrait)&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;&lt;b&gt;Fréquences&lt;/b&gt;&lt;/td&gt;&lt;td&gt;%7&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;&lt;b&gt;Canaux&lt;/b&gt;&lt;/td&gt;&lt;td&gt;%8&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;&lt;b&gt;Formats&lt;/b&gt;&lt;/td&gt;&lt;td&gt;%9&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;&lt;b&gt;Étiquettes&lt;/b&gt;&lt;/td&gt;&lt;td&gt;%10 depuis %11%12&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;&lt;b&gt;Version&lt;/b&gt;&lt;/td&gt;&lt;td&gt;%13 (analysé le %14)&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;</translation>
    </message>
    <message>
        <source> (multi-label)</source>
        <translation> (multi-étiquettes)</translation>
    </message>
    <message>
        <source>None: every file decoded.</source>
        <translation>Aucun : tous les fichiers ont été décodés.</translation>
    </message>
    <message>
        <source>Data</source>
        <translation>Données</translation>
    </message>
</context>
<context>
    <name>ssondo::ui::HistogramPlot</name>
    <message>
        <source>clips</source>
        <translation>extraits</translation>
    </message>
</context>
<context>
    <name>ssondo::ui::JobRunner</name>
    <message>
        <source>could not start %1: %2</source>
        <translation>impossible de lancer %1 : %2</translation>
    </message>
    <message>
        <source>the ssondo command line was not found next to the workbench or on PATH</source>
        <translation>la ligne de commande ssondo est introuvable à côté de l'atelier ou dans le PATH</translation>
    </message>
    <message>
        <source>warning: %1%2</source>
        <translation>avertissement : %1%2</translation>
    </message>
    <message>
        <source>the job crashed (%1)</source>
        <translation>la tâche a planté (%1)</translation>
    </message>
    <message>
        <source>exit code %1</source>
        <translation>code de sortie %1</translation>
    </message>
</context>
<context>
    <name>ssondo::ui::JobTableModel</name>
    <message>
        <source>running</source>
        <translation>en cours</translation>
    </message>
    <message>
        <source>done</source>
        <translation>terminée</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>échouée</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>arrêtée</translation>
    </message>
    <message>
        <source>queued</source>
        <translation>en attente</translation>
    </message>
    <message>
        <source>/s</source>
        <translation>/s</translation>
    </message>
    <message>
        <source>#</source>
        <translation>n°</translation>
    </message>
    <message>
        <source>Job</source>
        <translation>Tâche</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>Cible</translation>
    </message>
    <message>
        <source>State</source>
        <translation>État</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>Progression</translation>
    </message>
    <message>
        <source>Rate</source>
        <translation>Débit</translation>
    </message>
    <message>
        <source>Started (UTC)</source>
        <translation>Début (UTC)</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Message</translation>
    </message>
</context>
<context>
    <name>ssondo::ui::JobsDock</name>
    <message>
        <source>Jobs</source>
        <translation>Tâches</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>Arrêter</translation>
    </message>
    <message>
        <source>Copy command</source>
        <translation>Copier la commande</translation>
    </message>
    <message>
        <source>Select a job to see its command and log.</source>
        <translation>Sélectionnez une tâche pour voir sa commande et son journal.</translation>
    </message>
    <message>
        <source>Ask the job to stop: it saves a checkpoint and exits (SIGTERM)</source>
        <translation>Demander à la tâche de s’arrêter : elle enregistre un point de reprise et quitte (SIGTERM)</translation>
    </message>
    <message>
        <source>Job failed: %1</source>
        <translation>Échec de la tâche : %1</translation>
    </message>
    <message>
        <source>state: %1   host: %2   pid: %3
</source>
        <translation>état : %1   hôte : %2   pid : %3
</translation>
    </message>
    <message>
        <source>Job %1 runs on %2; stop it there.</source>
        <translation>La tâche %1 s'exécute sur %2 ; arrêtez-la là-bas.</translation>
    </message>
    <message>
        <source>Could not signal process %1</source>
        <translation>Impossible d'envoyer un signal au processus %1</translation>
    </message>
</context>
<context>
    <name>ssondo::ui::MainWindow</name>
    <message>
        <source>S-SONDO Workbench</source>
        <translation>Atelier S-SONDO</translation>
    </message>
    <message>
        <source>Teacher</source>
        <translation>Enseignant</translation>
    </message>
    <message>
        <source>Choose the teacher — the built-in demo network, a TorchScript file (M2D, MATPAC++…) or a folder of precomputed embeddings — extract and cache its embeddings for a dataset, and inspect the embedding sets.</source>
        <translation>Choisir l'enseignant — le réseau de démonstration intégré, un fichier TorchScript (M2D, MATPAC++…) ou un dossier de plongements précalculés —, extraire et mettre en cache ses plongements pour un jeu de données, et examiner les ensembles de plongements.</translation>
    </message>
    <message>
        <source>Clusters</source>
        <translation>Groupes</translation>
    </message>
    <message>
        <source>Run k-means on the teacher embeddings, choose k from quality curves, see the clips on a 2-D map coloured by cluster or label, and compare uniform with cluster-balanced sampling.</source>
        <translation>Lancer les k-moyennes sur les plongements de l'enseignant, choisir k d'après les courbes de qualité, voir les extraits sur une carte 2-D colorée par groupe ou par étiquette, et comparer l'échantillonnage uniforme à l'échantillonnage équilibré par groupe.</translation>
    </message>
    <message>
        <source>Train</source>
        <translation>Entraînement</translation>
    </message>
    <message>
        <source>Configure a distillation run (student, mapping head, loss, sampler, schedule), start, stop and resume it, and follow its loss and teacher–student cosine live.</source>
        <translation>Configurer une distillation (élève, tête de projection, perte, échantillonneur, calendrier), la lancer, l'arrêter et la reprendre, et suivre en direct sa perte et le cosinus enseignant–élève.</translation>
    </message>
    <message>
        <source>Experiments</source>
        <translation>Expériences</translation>
    </message>
    <message>
        <source>Compare runs side by side: curves, configuration differences, downstream scores with confidence intervals, % of the teacher retained against size and latency.</source>
        <translation>Comparer les entraînements côte à côte : courbes, différences de configuration, scores en aval avec intervalles de confiance, % de l'enseignant conservé selon la taille et la latence.</translation>
    </message>
    <message>
        <source>Workspace</source>
        <translation>Espace de travail</translation>
    </message>
    <message>
        <source>&lt;h1&gt;S-SONDO Workbench&lt;/h1&gt;&lt;p&gt;Distil a large audio foundation model into a small student from the teacher's embeddings alone.&lt;/p&gt;&lt;p&gt;Open a workspace, or create one to start.&lt;/p&gt;</source>
        <translation>&lt;h1&gt;Atelier S-SONDO&lt;/h1&gt;&lt;p&gt;Distillez un grand modèle de fondation audio en un petit élève à partir des seuls plongements de l'enseignant.&lt;/p&gt;&lt;p&gt;Ouvrez un espace de travail, ou créez-en un pour commencer.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>New workspace…</source>
        <translation>Nouvel espace de travail…</translation>
    </message>
    <message>
        <source>Open workspace…</source>
        <translation>Ouvrir un espace de travail…</translation>
    </message>
    <message>
        <source>Create the demo workspace…</source>
        <translation>Créer l'espace de démonstration…</translation>
    </message>
    <message>
        <source>A workspace with a synthetic labelled dataset of 325 clips; nothing is downloaded</source>
        <translation>Un espace de travail avec un jeu de données synthétique étiqueté de 325 extraits ; rien n'est téléchargé</translation>
    </message>
    <message>
        <source>Recent workspaces:</source>
        <translation>Espaces de travail récents :</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Fichier</translation>
    </message>
    <message>
        <source>&amp;New workspace…</source>
        <translation>&amp;Nouvel espace de travail…</translation>
    </message>
    <message>
        <source>&amp;Open workspace…</source>
        <translation>&amp;Ouvrir un espace de travail…</translation>
    </message>
    <message>
        <source>Open &amp;recent</source>
        <translation>Ouvrir un &amp;récent</translation>
    </message>
    <message>
        <source>Create the &amp;demo workspace…</source>
        <translation>Créer l'espace de &amp;démonstration…</translation>
    </message>
    <message>
        <source>&amp;Close workspace</source>
        <translation>&amp;Fermer l'espace de travail</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Quitter</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Affichage</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>Ai&amp;de</translation>
    </message>
    <message>
        <source>&amp;About S-SONDO Workbench</source>
        <translation>À &amp;propos de l'atelier S-SONDO</translation>
    </message>
    <message>
        <source>About S-SONDO Workbench</source>
        <translation>À propos de l'atelier S-SONDO</translation>
    </message>
    <message>
        <source>&lt;b&gt;S-SONDO Workbench&lt;/b&gt; %1&lt;p&gt;Self-supervised knowledge distillation of general audio foundation models from their output embeddings (S-SONDO, ICASSP 2026).&lt;/p&gt;&lt;p&gt;Every action here is a &lt;tt&gt;ssondo&lt;/tt&gt; command you can also run in a terminal or on a cluster.&lt;/p&gt;</source>
        <translation>&lt;b&gt;Atelier S-SONDO&lt;/b&gt; %1&lt;p&gt;Distillation auto-supervisée de modèles de fondation audio généralistes à partir de leurs plongements de sortie (S-SONDO, ICASSP 2026).&lt;/p&gt;&lt;p&gt;Chaque action ici est une commande &lt;tt&gt;ssondo&lt;/tt&gt; que vous pouvez aussi lancer dans un terminal ou sur une grappe de calcul.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>%1 — S-SONDO Workbench</source>
        <translation>%1 — Atelier S-SONDO</translation>
    </message>
    <message>
        <source>No workspace</source>
        <translation>Pas d'espace de travail</translation>
    </message>
    <message numerus="yes">
        <source>Workspace: %1 · %n dataset(s)</source>
        <translation>
            <numerusform>Espace de travail : %1 · %n jeu de données</numerusform><numerusform>Espace de travail : %1 · %n jeux de données</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n job(s) running</source>
        <translation>
            <numerusform>%n tâche en cours</numerusform><numerusform>%n tâches en cours</numerusform></translation>
    </message>
    <message>
        <source>No job running</source>
        <translation>Aucune tâche en cours</translation>
    </message>
    <message>
        <source>Folder for the new workspace</source>
        <translation>Dossier du nouvel espace de travail</translation>
    </message>
    <message>
        <source>Open a workspace folder</source>
        <translation>Ouvrir le dossier d'un espace de travail</translation>
    </message>
    <message>
        <source>Folder for the demo workspace</source>
        <translation>Dossier de l'espace de démonstration</translation>
    </message>
    <message>
        <source>Started: ssondo %1</source>
        <translation>Lancé : ssondo %1</translation>
    </message>
</context>
<context>
    <name>ssondo::ui::PlaceholderPage</name>
    <message>
        <source>&lt;i&gt;This page is not built yet in this version of the workbench.&lt;/i&gt;</source>
        <translation>&lt;i&gt;Cette page n'est pas encore réalisée dans cette version de l'atelier.&lt;/i&gt;</translation>
    </message>
</context>
</TS>