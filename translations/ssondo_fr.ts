<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr_FR">
<context>
    <name>QObject</name>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt;&lt;br&gt;kind %2 · identity &lt;code&gt;%3&lt;/code&gt;</source>
        <translation>&lt;b&gt;%1&lt;/b&gt;&lt;br&gt;type %2 · identité &lt;code&gt;%3&lt;/code&gt;</translation>
    </message>
    <message>
        <source>&lt;br&gt;%1 Hz · %2 s windows · %3-d embeddings · %4 parameters · loaded in %5 ms</source>
        <translation>&lt;br&gt;%1 Hz · fenêtres de %2 s · plongements de dimension %3 · %4 paramètres · chargé en %5 ms</translation>
    </message>
    <message>
        <source>&lt;br&gt;%1-d precomputed embeddings</source>
        <translation>&lt;br&gt;plongements précalculés de dimension %1</translation>
    </message>
    <message>
        <source>&lt;br&gt;file %1 MB · SHA-256 &lt;code&gt;%2&lt;/code&gt;</source>
        <translation>&lt;br&gt;fichier %1 Mo · SHA-256 &lt;code&gt;%2&lt;/code&gt;</translation>
    </message>
    <message>
        <source>&lt;br&gt;No clip to check it on: add a dataset first.</source>
        <translation>&lt;br&gt;Aucun extrait pour le vérifier : ajoutez d&apos;abord un jeu de données.</translation>
    </message>
    <message>
        <source>&lt;br&gt;&lt;font color=#b00020&gt;No precomputed embedding for %1.&lt;/font&gt;</source>
        <translation>&lt;br&gt;&lt;font color=#b00020&gt;Aucun plongement précalculé pour %1.&lt;/font&gt;</translation>
    </message>
    <message>
        <source>&lt;br&gt;Live check on &lt;i&gt;%1&lt;/i&gt;: %2-d output, norm %3, %4 in %5 ms</source>
        <translation>&lt;br&gt;Vérification sur &lt;i&gt;%1&lt;/i&gt; : sortie de dimension %2, norme %3, %4 en %5 ms</translation>
    </message>
    <message>
        <source>finite</source>
        <translation>finie</translation>
    </message>
    <message>
        <source>&lt;font color=#b00020&gt;NOT finite&lt;/font&gt;</source>
        <translation>&lt;font color=#b00020&gt;NON finie&lt;/font&gt;</translation>
    </message>
    <message>
        <source>&lt;font color=#b00020&gt;%1&lt;/font&gt;</source>
        <translation>&lt;font color=#b00020&gt;%1&lt;/font&gt;</translation>
    </message>
    <message>
        <source>&lt;font color=#b00020&gt;The teacher failed with an unknown error.&lt;/font&gt;</source>
        <translation>&lt;font color=#b00020&gt;L&apos;enseignant a échoué avec une erreur inconnue.&lt;/font&gt;</translation>
    </message>
</context>
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
        <source>the folder&apos;s name</source>
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
        <translation>Fichier d&apos;étiquettes :</translation>
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
        <translation>Fichier d&apos;étiquettes</translation>
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
        <translation>Fréquence d&apos;échantillonnage</translation>
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
    <name>ssondo::ui::ClipView</name>
    <message>
        <source>Play</source>
        <translation>Lire</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>Arrêter</translation>
    </message>
    <message>
        <source>seconds</source>
        <translation>secondes</translation>
    </message>
    <message>
        <source>mel band</source>
        <translation>bande mel</translation>
    </message>
    <message>
        <source>Playback: %1</source>
        <translation>Lecture : %1</translation>
    </message>
    <message>
        <source>Select a clip to see its waveform and log-mel spectrogram and to play it.</source>
        <translation>Sélectionnez un extrait pour voir sa forme d&apos;onde et son spectrogramme log-mel et pour l&apos;écouter.</translation>
    </message>
    <message>
        <source>%1 — %2 s at %3 Hz%4</source>
        <translation>%1 — %2 s à %3 Hz%4</translation>
    </message>
    <message>
        <source> (playback unavailable: Qt Multimedia or GStreamer&apos;s base/good plugins missing)</source>
        <translation> (lecture impossible : Qt Multimedia ou les greffons base/good de GStreamer manquent)</translation>
    </message>
    <message>
        <source>Cannot show %1: %2</source>
        <translation>Impossible d&apos;afficher %1 : %2</translation>
    </message>
</context>
<context>
    <name>ssondo::ui::ClusterRunDialog</name>
    <message>
        <source>Extract on a Slurm cluster</source>
        <translation>Extraire sur un cluster Slurm</translation>
    </message>
    <message>
        <source>Train on a Slurm cluster</source>
        <translation>Entraîner sur un cluster Slurm</translation>
    </message>
    <message>
        <source>cluster default</source>
        <translation>valeur du cluster</translation>
    </message>
    <message>
        <source>e.g. 32G</source>
        <translation>p. ex. 32G</translation>
    </message>
    <message>
        <source>not set</source>
        <translation>non fixé</translation>
    </message>
    <message>
        <source>Partition</source>
        <translation>Partition</translation>
    </message>
    <message>
        <source>Time limit</source>
        <translation>Durée maximale</translation>
    </message>
    <message>
        <source>Shards (array tasks)</source>
        <translation>Parts (tâches du tableau)</translation>
    </message>
    <message>
        <source>GPUs per shard</source>
        <translation>GPU par part</translation>
    </message>
    <message>
        <source>Nodes</source>
        <translation>Nœuds</translation>
    </message>
    <message>
        <source>Ranks per node</source>
        <translation>Rangs par nœud</translation>
    </message>
    <message>
        <source>GPUs per node</source>
        <translation>GPU par nœud</translation>
    </message>
    <message>
        <source>One data-parallel process per task; on GPU nodes, one per GPU</source>
        <translation>Un processus parallèle par tâche ; sur des nœuds GPU, un par GPU</translation>
    </message>
    <message>
        <source>CPUs per task</source>
        <translation>CPU par tâche</translation>
    </message>
    <message>
        <source>Memory</source>
        <translation>Mémoire</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>Compte</translation>
    </message>
    <message>
        <source>The workspace must be on a file system the nodes share, and the nodes must see the same &lt;code&gt;ssondo&lt;/code&gt;. Follow the job in the Slurm tab of the jobs dock.</source>
        <translation>L&apos;espace de travail doit être sur un système de fichiers partagé par les nœuds, et les nœuds doivent voir le même &lt;code&gt;ssondo&lt;/code&gt;. Suivez la tâche dans l&apos;onglet Slurm du panneau des tâches.</translation>
    </message>
    <message>
        <source>Submit</source>
        <translation>Soumettre</translation>
    </message>
</context>
<context>
    <name>ssondo::ui::ClustersPage</name>
    <message>
        <source>L2-normalise</source>
        <translation>Normaliser (L2)</translation>
    </message>
    <message>
        <source>Run k-means</source>
        <translation>Lancer les k-moyennes</translation>
    </message>
    <message>
        <source>Compute map</source>
        <translation>Calculer la carte</translation>
    </message>
    <message>
        <source>cluster</source>
        <translation>groupe</translation>
    </message>
    <message>
        <source>label</source>
        <translation>étiquette</translation>
    </message>
    <message>
        <source>Embeddings:</source>
        <translation>Plongements :</translation>
    </message>
    <message>
        <source>Clustering:</source>
        <translation>Partition :</translation>
    </message>
    <message>
        <source>Map:</source>
        <translation>Carte :</translation>
    </message>
    <message>
        <source>Colour by:</source>
        <translation>Couleur par :</translation>
    </message>
    <message>
        <source>Clusters (the reference uses 50)</source>
        <translation>Nombre de groupes (la référence en utilise 50)</translation>
    </message>
    <message>
        <source>sweep, e.g. 10:100:10</source>
        <translation>balayage, p. ex. 10:100:10</translation>
    </message>
    <message>
        <source>FIRST:LAST[:STEP]: one clustering per k, to choose k on the curves</source>
        <translation>PREMIER:DERNIER[:PAS] : une partition par k, pour choisir k sur les courbes</translation>
    </message>
    <message>
        <source>New clustering or map</source>
        <translation>Nouvelle partition ou carte</translation>
    </message>
    <message>
        <source>k</source>
        <translation>k</translation>
    </message>
    <message>
        <source>seed</source>
        <translation>graine</translation>
    </message>
    <message>
        <source>clips</source>
        <translation>extraits</translation>
    </message>
    <message>
        <source>share of data</source>
        <translation>part des données</translation>
    </message>
    <message>
        <source>weight</source>
        <translation>poids</translation>
    </message>
    <message>
        <source>uniform draws</source>
        <translation>tirages uniformes</translation>
    </message>
    <message>
        <source>balanced draws</source>
        <translation>tirages équilibrés</translation>
    </message>
    <message>
        <source>clusters, largest first</source>
        <translation>groupes, du plus grand au plus petit</translation>
    </message>
    <message>
        <source>share of draws</source>
        <translation>part des tirages</translation>
    </message>
    <message>
        <source>silhouette, Davies–Bouldin</source>
        <translation>silhouette, Davies–Bouldin</translation>
    </message>
    <message>
        <source>inertia</source>
        <translation>inertie</translation>
    </message>
    <message>
        <source>Double-click a clip to open it on the Data page</source>
        <translation>Double-cliquez sur un extrait pour l&apos;ouvrir dans la page Données</translation>
    </message>
    <message>
        <source>Clusters</source>
        <translation>Groupes</translation>
    </message>
    <message>
        <source>Choose k</source>
        <translation>Choisir k</translation>
    </message>
    <message>
        <source>Selection</source>
        <translation>Sélection</translation>
    </message>
    <message>
        <source>cluster %1</source>
        <translation>groupe %1</translation>
    </message>
    <message>
        <source>label %1</source>
        <translation>étiquette %1</translation>
    </message>
    <message>
        <source>Extract teacher embeddings first (Teacher page).</source>
        <translation>Extrayez d&apos;abord les plongements de l&apos;enseignant (page Enseignant).</translation>
    </message>
    <message>
        <source>set %1 · %2 · %3 (%4 × %5)</source>
        <translation>ensemble %1 · %2 · %3 (%4 × %5)</translation>
    </message>
    <message>
        <source>#%1 · k %2 · %3 · silhouette %4</source>
        <translation>n°%1 · k %2 · %3 · silhouette %4</translation>
    </message>
    <message>
        <source>L2</source>
        <translation>L2</translation>
    </message>
    <message>
        <source>raw</source>
        <translation>brut</translation>
    </message>
    <message>
        <source>#%1 · %2 · %3 points</source>
        <translation>n°%1 · %2 · %3 points</translation>
    </message>
    <message>
        <source>No embedding set yet: extract a teacher&apos;s embeddings on the Teacher page.</source>
        <translation>Pas encore d&apos;ensemble de plongements : extrayez ceux d&apos;un enseignant dans la page Enseignant.</translation>
    </message>
    <message>
        <source>Cannot read embedding set %1: %2</source>
        <translation>Impossible de lire l&apos;ensemble de plongements %1 : %2</translation>
    </message>
    <message>
        <source>No clustering of this set yet: choose k and press &lt;i&gt;Run k-means&lt;/i&gt;.</source>
        <translation>Pas encore de partition de cet ensemble : choisissez k et cliquez sur &lt;i&gt;Lancer les k-moyennes&lt;/i&gt;.</translation>
    </message>
    <message>
        <source>Cannot read clustering %1: %2</source>
        <translation>Impossible de lire la partition %1 : %2</translation>
    </message>
    <message>
        <source>&lt;b&gt;k = %1&lt;/b&gt; (%2, seed %3, %4) on %5 clips: inertia %6 · silhouette %7 · Calinski–Harabasz %8 · Davies–Bouldin %9</source>
        <translation>&lt;b&gt;k = %1&lt;/b&gt; (%2, graine %3, %4) sur %5 extraits : inertie %6 · silhouette %7 · Calinski–Harabasz %8 · Davies–Bouldin %9</translation>
    </message>
    <message>
        <source>L2-normalised</source>
        <translation>normalisé L2</translation>
    </message>
    <message>
        <source> · against the labels: NMI %1 · ARI %2 · purity %3</source>
        <translation> · par rapport aux étiquettes : NMI %1 · ARI %2 · pureté %3</translation>
    </message>
    <message>
        <source>uniform sampling</source>
        <translation>échantillonnage uniforme</translation>
    </message>
    <message>
        <source>balanced sampling</source>
        <translation>échantillonnage équilibré</translation>
    </message>
    <message>
        <source>Cannot read map %1: %2</source>
        <translation>Impossible de lire la carte %1 : %2</translation>
    </message>
    <message>
        <source>silhouette (higher is better)</source>
        <translation>silhouette (plus haut est mieux)</translation>
    </message>
    <message>
        <source>Davies–Bouldin (lower is better)</source>
        <translation>Davies–Bouldin (plus bas est mieux)</translation>
    </message>
    <message>
        <source>inertia (right axis)</source>
        <translation>inertie (axe de droite)</translation>
    </message>
</context>
<context>
    <name>ssondo::ui::ConfigForm</name>
    <message>
        <source>Run</source>
        <translation>Entraînement</translation>
    </message>
    <message>
        <source>Teacher embeddings and clips</source>
        <translation>Plongements de l&apos;enseignant et extraits</translation>
    </message>
    <message>
        <source>Student</source>
        <translation>Élève</translation>
    </message>
    <message>
        <source>Mapping head</source>
        <translation>Tête de projection</translation>
    </message>
    <message>
        <source>Loss</source>
        <translation>Perte</translation>
    </message>
    <message>
        <source>Sampling</source>
        <translation>Échantillonnage</translation>
    </message>
    <message>
        <source>Optimisation</source>
        <translation>Optimisation</translation>
    </message>
    <message>
        <source>Training</source>
        <translation>Entraînement</translation>
    </message>
    <message>
        <source>Show advanced settings</source>
        <translation>Afficher les réglages avancés</translation>
    </message>
    <message>
        <source>comma-separated</source>
        <translation>séparés par des virgules</translation>
    </message>
    <message>
        <source>%1 (not in this workspace)</source>
        <translation>%1 (absent de cet espace de travail)</translation>
    </message>
</context>
<context>
    <name>ssondo::ui::CurvePlot</name>
    <message>
        <source>step</source>
        <translation>pas</translation>
    </message>
    <message>
        <source>epoch</source>
        <translation>époque</translation>
    </message>
    <message>
        <source>wall time (s)</source>
        <translation>temps écoulé (s)</translation>
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
        <source>Scan the dataset&apos;s folder again (new, removed or changed files)</source>
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
        <translation>Pas encore de jeu de données. Utilisez &lt;b&gt;Ajouter un jeu de données…&lt;/b&gt; pour analyser un dossier d&apos;audio.</translation>
    </message>
    <message>
        <source>No workspace is open.</source>
        <translation>Aucun espace de travail n&apos;est ouvert.</translation>
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
    <name>ssondo::ui::ExperimentsPage</name>
    <message>
        <source>group seeds</source>
        <translation>regrouper les graines</translation>
    </message>
    <message>
        <source>Filter runs (name, student, tags, notes…)</source>
        <translation>Filtrer les entraînements (nom, élève, étiquettes, notes…)</translation>
    </message>
    <message>
        <source>Tag…</source>
        <translation>Étiqueter…</translation>
    </message>
    <message>
        <source>Note…</source>
        <translation>Annoter…</translation>
    </message>
    <message>
        <source>Rename…</source>
        <translation>Renommer…</translation>
    </message>
    <message>
        <source>Delete…</source>
        <translation>Supprimer…</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>Exporter en CSV…</translation>
    </message>
    <message>
        <source>Save plot…</source>
        <translation>Enregistrer le graphique…</translation>
    </message>
    <message>
        <source>#</source>
        <translation>n°</translation>
    </message>
    <message>
        <source>name</source>
        <translation>nom</translation>
    </message>
    <message>
        <source>status</source>
        <translation>état</translation>
    </message>
    <message>
        <source>teacher</source>
        <translation>enseignant</translation>
    </message>
    <message>
        <source>student</source>
        <translation>élève</translation>
    </message>
    <message>
        <source>parameters</source>
        <translation>paramètres</translation>
    </message>
    <message>
        <source>loss</source>
        <translation>perte</translation>
    </message>
    <message>
        <source>sampler</source>
        <translation>échantillonneur</translation>
    </message>
    <message>
        <source>best val cosine</source>
        <translation>meilleur cosinus val.</translation>
    </message>
    <message>
        <source>downstream</source>
        <translation>tâches aval</translation>
    </message>
    <message>
        <source>% of teacher</source>
        <translation>% de l&apos;enseignant</translation>
    </message>
    <message>
        <source>tags</source>
        <translation>étiquettes</translation>
    </message>
    <message>
        <source>notes</source>
        <translation>notes</translation>
    </message>
    <message>
        <source>best</source>
        <translation>meilleure</translation>
    </message>
    <message>
        <source>last</source>
        <translation>dernière</translation>
    </message>
    <message>
        <source>metric</source>
        <translation>mesure</translation>
    </message>
    <message>
        <source>table value</source>
        <translation>valeur du tableau</translation>
    </message>
    <message>
        <source>backbone parameters</source>
        <translation>paramètres du réseau</translation>
    </message>
    <message>
        <source>file size (bytes)</source>
        <translation>taille du fichier (octets)</translation>
    </message>
    <message>
        <source>MACs per 10 s clip</source>
        <translation>MAC par extrait de 10 s</translation>
    </message>
    <message>
        <source>CPU latency per 10 s clip (ms)</source>
        <translation>latence CPU par extrait de 10 s (ms)</translation>
    </message>
    <message>
        <source>x</source>
        <translation>x</translation>
    </message>
    <message>
        <source>Curves</source>
        <translation>Courbes</translation>
    </message>
    <message>
        <source>Config differences</source>
        <translation>Différences de configuration</translation>
    </message>
    <message>
        <source>Students vs teachers</source>
        <translation>Élèves et enseignants</translation>
    </message>
    <message>
        <source>Pareto</source>
        <translation>Pareto</translation>
    </message>
    <message>
        <source>Export runs and curves to</source>
        <translation>Exporter les entraînements et les courbes vers</translation>
    </message>
    <message>
        <source>Wrote %1</source>
        <translation>Écrit : %1</translation>
    </message>
    <message>
        <source>Save plot</source>
        <translation>Enregistrer le graphique</translation>
    </message>
    <message>
        <source>PNG (*.png);;PDF (*.pdf)</source>
        <translation>PNG (*.png);;PDF (*.pdf)</translation>
    </message>
    <message>
        <source>Could not write %1</source>
        <translation>Impossible d&apos;écrire %1</translation>
    </message>
    <message>
        <source>#%1 … (%2 seeds, mean)</source>
        <translation>n°%1 … (%2 graines, moyenne)</translation>
    </message>
    <message>
        <source>min</source>
        <translation>min</translation>
    </message>
    <message>
        <source>max</source>
        <translation>max</translation>
    </message>
    <message>
        <source>key</source>
        <translation>clé</translation>
    </message>
    <message>
        <source>task</source>
        <translation>tâche</translation>
    </message>
    <message>
        <source>model</source>
        <translation>modèle</translation>
    </message>
    <message>
        <source>score</source>
        <translation>score</translation>
    </message>
    <message>
        <source>95% CI</source>
        <translation>IC 95 %</translation>
    </message>
    <message>
        <source>average</source>
        <translation>moyenne</translation>
    </message>
    <message>
        <source>Delete runs</source>
        <translation>Supprimer des entraînements</translation>
    </message>
    <message numerus="yes">
        <source>Delete %n run(s), their metrics, evaluations and folders?</source>
        <translation>
            <numerusform>Supprimer %n entraînement, ses mesures, évaluations et dossiers ?</numerusform>
            <numerusform>Supprimer %n entraînements, leurs mesures, évaluations et dossiers ?</numerusform>
        </translation>
    </message>
    <message>
        <source>Tags (comma-separated):</source>
        <translation>Étiquettes (séparées par des virgules) :</translation>
    </message>
    <message>
        <source>Note:</source>
        <translation>Note :</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>Nom :</translation>
    </message>
    <message>
        <source>Run %1</source>
        <translation>Entraînement %1</translation>
    </message>
    <message>
        <source>Experiments</source>
        <translation>Expériences</translation>
    </message>
    <message>
        <source>Teacher × student</source>
        <translation>Enseignant × élève</translation>
    </message>
    <message>
        <source>Double-click a run&apos;s number to choose the colour of its curves</source>
        <translation>Double-cliquez sur le numéro d&apos;un entraînement pour choisir la couleur de ses courbes</translation>
    </message>
    <message>
        <source>Colour of run %1</source>
        <translation>Couleur de l&apos;entraînement %1</translation>
    </message>
    <message>
        <source>PNG (*.png);;PDF (*.pdf);;SVG (*.svg)</source>
        <translation>PNG (*.png);;PDF (*.pdf);;SVG (*.svg)</translation>
    </message>
    <message>
        <source>%1 % (run %2)</source>
        <translation>%1 % (entraînement %2)</translation>
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
        <translation>la ligne de commande ssondo est introuvable à côté de l&apos;atelier ou dans le PATH</translation>
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
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 h %2 min</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1 min %2 s</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>Elapsed</source>
        <translation>Écoulé</translation>
    </message>
    <message>
        <source>ETA</source>
        <translation>Reste</translation>
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
        <translation>Demander à la tâche de s&apos;arrêter : elle enregistre un point de reprise et quitte (SIGTERM)</translation>
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
        <translation>La tâche %1 s&apos;exécute sur %2 ; arrêtez-la là-bas.</translation>
    </message>
    <message>
        <source>Could not signal process %1</source>
        <translation>Impossible d&apos;envoyer un signal au processus %1</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>Reprendre</translation>
    </message>
    <message>
        <source>Run the stopped or failed job&apos;s command again; it continues where it stopped</source>
        <translation>Relancer la commande de la tâche arrêtée ou échouée ; elle reprend là où elle s&apos;est arrêtée</translation>
    </message>
    <message>
        <source>Resuming: ssondo %1</source>
        <translation>Reprise : ssondo %1</translation>
    </message>
    <message>
        <source>Slurm</source>
        <translation>Slurm</translation>
    </message>
    <message>
        <source>Slurm (%1 active)</source>
        <translation>Slurm (%1 en cours)</translation>
    </message>
    <message>
        <source>Slurm (%1)</source>
        <translation>Slurm (%1)</translation>
    </message>
</context>
<context>
    <name>ssondo::ui::MainWindow</name>
    <message>
        <source>S-SONDO Workbench</source>
        <translation>Atelier S-SONDO</translation>
    </message>
    <message>
        <source>Workspace</source>
        <translation>Espace de travail</translation>
    </message>
    <message>
        <source>&lt;h1&gt;S-SONDO Workbench&lt;/h1&gt;&lt;p&gt;Distil a large audio foundation model into a small student from the teacher&apos;s embeddings alone.&lt;/p&gt;&lt;p&gt;Open a workspace, or create one to start.&lt;/p&gt;</source>
        <translation>&lt;h1&gt;Atelier S-SONDO&lt;/h1&gt;&lt;p&gt;Distillez un grand modèle de fondation audio en un petit élève à partir des seuls plongements de l&apos;enseignant.&lt;/p&gt;&lt;p&gt;Ouvrez un espace de travail, ou créez-en un pour commencer.&lt;/p&gt;</translation>
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
        <translation>Créer l&apos;espace de démonstration…</translation>
    </message>
    <message>
        <source>A workspace with a synthetic labelled dataset of 325 clips; nothing is downloaded</source>
        <translation>Un espace de travail avec un jeu de données synthétique étiqueté de 325 extraits ; rien n&apos;est téléchargé</translation>
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
        <translation>Créer l&apos;espace de &amp;démonstration…</translation>
    </message>
    <message>
        <source>&amp;Close workspace</source>
        <translation>&amp;Fermer l&apos;espace de travail</translation>
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
        <translation>À &amp;propos de l&apos;atelier S-SONDO</translation>
    </message>
    <message>
        <source>About S-SONDO Workbench</source>
        <translation>À propos de l&apos;atelier S-SONDO</translation>
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
        <translation>Pas d&apos;espace de travail</translation>
    </message>
    <message numerus="yes">
        <source>Workspace: %1 · %n dataset(s)</source>
        <translation>
            <numerusform>Espace de travail : %1 · %n jeu de données</numerusform>
            <numerusform>Espace de travail : %1 · %n jeux de données</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n job(s) running</source>
        <translation>
            <numerusform>%n tâche en cours</numerusform>
            <numerusform>%n tâches en cours</numerusform>
        </translation>
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
        <translation>Ouvrir le dossier d&apos;un espace de travail</translation>
    </message>
    <message>
        <source>Folder for the demo workspace</source>
        <translation>Dossier de l&apos;espace de démonstration</translation>
    </message>
    <message>
        <source>Started: ssondo %1</source>
        <translation>Lancé : ssondo %1</translation>
    </message>
    <message>
        <source>&amp;Preferences…</source>
        <translation>&amp;Préférences…</translation>
    </message>
</context>
<context>
    <name>ssondo::ui::PreferencesDialog</name>
    <message>
        <source>Preferences</source>
        <translation>Préférences</translation>
    </message>
    <message>
        <source>Follow the system</source>
        <translation>Suivre le système</translation>
    </message>
    <message>
        <source>Language:</source>
        <translation>Langue :</translation>
    </message>
    <message>
        <source>The language changes at the next start of the workbench.</source>
        <translation>La langue change au prochain démarrage de l&apos;atelier.</translation>
    </message>
</context>
<context>
    <name>ssondo::ui::ScatterMap</name>
    <message>
        <source>Box select</source>
        <translation>Sélection rectangle</translation>
    </message>
    <message>
        <source>Drag a rectangle to list the clips inside; off: drag pans, wheel zooms</source>
        <translation>Tracez un rectangle pour lister les extraits à l&apos;intérieur ; sinon : glisser déplace, la molette zoome</translation>
    </message>
    <message>
        <source>Lasso</source>
        <translation>Lasso</translation>
    </message>
    <message>
        <source>Draw around clips to list them</source>
        <translation>Entourez des extraits pour les lister</translation>
    </message>
    <message>
        <source>Fit</source>
        <translation>Ajuster</translation>
    </message>
    <message>
        <source>Show every point</source>
        <translation>Montrer tous les points</translation>
    </message>
</context>
<context>
    <name>ssondo::ui::SlurmJobsView</name>
    <message>
        <source>Refresh</source>
        <translation>Actualiser</translation>
    </message>
    <message>
        <source>Cancel job</source>
        <translation>Annuler la tâche</translation>
    </message>
    <message>
        <source>Id</source>
        <translation>Id</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Type</translation>
    </message>
    <message>
        <source>Slurm job</source>
        <translation>Tâche Slurm</translation>
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
        <source>Detail</source>
        <translation>Détail</translation>
    </message>
    <message>
        <source>Submitted</source>
        <translation>Soumise</translation>
    </message>
    <message>
        <source>Select a submission to see its command and the end of its log.</source>
        <translation>Sélectionnez une soumission pour voir sa commande et la fin de son journal.</translation>
    </message>
    <message>
        <source>scancel the submission&apos;s jobs</source>
        <translation>scancel des tâches de la soumission</translation>
    </message>
    <message>
        <source>job array %1, merge job %2 after it</source>
        <translation>tableau de tâches %1, puis tâche de fusion %2</translation>
    </message>
    <message>
        <source>each task runs: %1
script: %2
</source>
        <translation>chaque tâche exécute : %1
script : %2
</translation>
    </message>
    <message>
        <source>Cancelled Slurm job %1</source>
        <translation>Tâche Slurm %1 annulée</translation>
    </message>
</context>
<context>
    <name>ssondo::ui::TeacherPage</name>
    <message>
        <source>Browse…</source>
        <translation>Parcourir…</translation>
    </message>
    <message>
        <source>Inspect</source>
        <translation>Inspecter</translation>
    </message>
    <message>
        <source>Extract embeddings</source>
        <translation>Extraire les plongements</translation>
    </message>
    <message>
        <source>Demo teacher</source>
        <translation>Enseignant de démonstration</translation>
    </message>
    <message>
        <source>TorchScript file (.pt)</source>
        <translation>Fichier TorchScript (.pt)</translation>
    </message>
    <message>
        <source>Precomputed embeddings (folder of .npz, or .npy)</source>
        <translation>Plongements précalculés (dossier de .npz, ou .npy)</translation>
    </message>
    <message>
        <source>path of the teacher file or folder</source>
        <translation>chemin du fichier ou du dossier de l&apos;enseignant</translation>
    </message>
    <message>
        <source>Teacher</source>
        <translation>Enseignant</translation>
    </message>
    <message>
        <source>float16 halves the store on disk</source>
        <translation>float16 divise par deux la taille sur disque</translation>
    </message>
    <message>
        <source>Extract</source>
        <translation>Extraire</translation>
    </message>
    <message>
        <source>Dataset:</source>
        <translation>Jeu de données :</translation>
    </message>
    <message>
        <source>set</source>
        <translation>ensemble</translation>
    </message>
    <message>
        <source>dataset</source>
        <translation>jeu de données</translation>
    </message>
    <message>
        <source>teacher</source>
        <translation>enseignant</translation>
    </message>
    <message>
        <source>kind</source>
        <translation>type</translation>
    </message>
    <message>
        <source>dim</source>
        <translation>dim</translation>
    </message>
    <message>
        <source>dtype</source>
        <translation>type num.</translation>
    </message>
    <message>
        <source>clips</source>
        <translation>extraits</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>échecs</translation>
    </message>
    <message>
        <source>on disk</source>
        <translation>sur disque</translation>
    </message>
    <message>
        <source>Embedding norms</source>
        <translation>Normes des plongements</translation>
    </message>
    <message>
        <source>L2 norm</source>
        <translation>norme L2</translation>
    </message>
    <message>
        <source>dimension (sorted by variance)</source>
        <translation>dimension (triée par variance)</translation>
    </message>
    <message>
        <source>variance</source>
        <translation>variance</translation>
    </message>
    <message>
        <source>Embedding sets in this workspace</source>
        <translation>Ensembles de plongements de cet espace de travail</translation>
    </message>
    <message>
        <source>TorchScript teacher</source>
        <translation>Enseignant TorchScript</translation>
    </message>
    <message>
        <source>TorchScript (*.pt *.pth);;All files (*)</source>
        <translation>TorchScript (*.pt *.pth);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <source>Precomputed embeddings</source>
        <translation>Plongements précalculés</translation>
    </message>
    <message>
        <source>Press &lt;i&gt;Inspect&lt;/i&gt; to load the teacher and check it on one clip.</source>
        <translation>Cliquez sur &lt;i&gt;Inspecter&lt;/i&gt; pour charger l&apos;enseignant et le vérifier sur un extrait.</translation>
    </message>
    <message>
        <source>Choose a teacher and a dataset.</source>
        <translation>Choisissez un enseignant et un jeu de données.</translation>
    </message>
    <message>
        <source>Loading %1 …</source>
        <translation>Chargement de %1 …</translation>
    </message>
    <message>
        <source>Select an embedding set to see its statistics.</source>
        <translation>Sélectionnez un ensemble de plongements pour voir ses statistiques.</translation>
    </message>
    <message>
        <source>Set %1 has no embedded clip yet.</source>
        <translation>L&apos;ensemble %1 n&apos;a encore aucun extrait plongé.</translation>
    </message>
    <message>
        <source>Set %1: %2 of %3 clips embedded, %4 failed · norm %5 ± %6 · mean per-dimension variance %7 · variance spread over ≈ %8 dimensions%9</source>
        <translation>Ensemble %1 : %2 extraits plongés sur %3, %4 échecs · norme %5 ± %6 · variance moyenne par dimension %7 · variance répartie sur ≈ %8 dimensions%9</translation>
    </message>
    <message>
        <source> (statistics on %1 sampled clips)</source>
        <translation> (statistiques sur %1 extraits tirés au hasard)</translation>
    </message>
    <message>
        <source>Cannot read set %1: %2</source>
        <translation>Impossible de lire l&apos;ensemble %1 : %2</translation>
    </message>
    <message>
        <source>&lt;font color=#b26a00&gt;%1 is outside the workspace. Loading a TorchScript file runs the code inside it: load only files you trust.&lt;/font&gt;&lt;br&gt;</source>
        <translation>&lt;font color=#b26a00&gt;%1 est hors de l&apos;espace de travail. Charger un fichier TorchScript exécute le code qu&apos;il contient : ne chargez que des fichiers de confiance.&lt;/font&gt;&lt;br&gt;</translation>
    </message>
    <message>
        <source>Run on cluster…</source>
        <translation>Lancer sur le cluster…</translation>
    </message>
    <message>
        <source>Submit the same extraction to Slurm as a job array of shards and a merge job</source>
        <translation>Soumettre la même extraction à Slurm : un tableau de tâches (une par part) et une tâche de fusion</translation>
    </message>
    <message>
        <source>state</source>
        <translation>état</translation>
    </message>
    <message>
        <source>Remove set…</source>
        <translation>Supprimer l&apos;ensemble…</translation>
    </message>
    <message>
        <source>Remove the selected embedding set with its clusterings, maps and files</source>
        <translation>Supprimer l&apos;ensemble de plongements sélectionné avec ses partitions, ses cartes et ses fichiers</translation>
    </message>
    <message>
        <source>Remove embedding set %1 with its clusterings, maps and files (%2)?</source>
        <translation>Supprimer l&apos;ensemble de plongements %1 avec ses partitions, ses cartes et ses fichiers (%2) ?</translation>
    </message>
    <message>
        <source>Runs trained on it keep their curves and results but can no longer be resumed: %1.</source>
        <translation>Les entraînements qui l&apos;utilisent gardent leurs courbes et leurs résultats mais ne peuvent plus être repris : %1.</translation>
    </message>
    <message>
        <source>Remove embedding set</source>
        <translation>Supprimer l&apos;ensemble de plongements</translation>
    </message>
    <message>
        <source>set %1</source>
        <translation>ensemble %1</translation>
    </message>
    <message>
        <source>&lt;font color=#b00020&gt;Set %1 is %2: %3&lt;/font&gt;&lt;br&gt;It is not offered for clustering or training; fix the teacher and extract again, or remove it.</source>
        <translation>&lt;font color=#b00020&gt;L&apos;ensemble %1 est %2 : %3&lt;/font&gt;&lt;br&gt;Il n&apos;est proposé ni au partitionnement ni à l&apos;entraînement ; corrigez l&apos;enseignant et extrayez à nouveau, ou supprimez-le.</translation>
    </message>
</context>
<context>
    <name>ssondo::ui::TrainPage</name>
    <message>
        <source>step</source>
        <translation>pas</translation>
    </message>
    <message>
        <source>epoch</source>
        <translation>époque</translation>
    </message>
    <message>
        <source>wall time</source>
        <translation>temps écoulé</translation>
    </message>
    <message>
        <source>Debiased exponential smoothing; the raw curve stays visible, faint</source>
        <translation>Lissage exponentiel débiaisé ; la courbe brute reste visible, en clair</translation>
    </message>
    <message>
        <source>log x</source>
        <translation>x log</translation>
    </message>
    <message>
        <source>log y</source>
        <translation>y log</translation>
    </message>
    <message>
        <source>Run:</source>
        <translation>Entraînement :</translation>
    </message>
    <message>
        <source>x:</source>
        <translation>x :</translation>
    </message>
    <message>
        <source>smoothing</source>
        <translation>lissage</translation>
    </message>
    <message>
        <source>Loss</source>
        <translation>Perte</translation>
    </message>
    <message>
        <source>loss</source>
        <translation>perte</translation>
    </message>
    <message>
        <source>learning rate</source>
        <translation>taux d&apos;apprentissage</translation>
    </message>
    <message>
        <source>Validation teacher–student cosine</source>
        <translation>Cosinus enseignant–élève en validation</translation>
    </message>
    <message>
        <source>cosine</source>
        <translation>cosinus</translation>
    </message>
    <message>
        <source>Validation loss per teacher cluster, worst first</source>
        <translation>Perte de validation par groupe de l&apos;enseignant, la pire d&apos;abord</translation>
    </message>
    <message>
        <source>1 − cos</source>
        <translation>1 − cos</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>Lancer</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>Arrêter</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>Reprendre</translation>
    </message>
    <message>
        <source>Save TOML…</source>
        <translation>Enregistrer en TOML…</translation>
    </message>
    <message>
        <source>Load TOML…</source>
        <translation>Charger un TOML…</translation>
    </message>
    <message>
        <source>Paper defaults</source>
        <translation>Valeurs de l&apos;article</translation>
    </message>
    <message>
        <source>Choose the teacher embeddings (extract them on the Teacher page first).</source>
        <translation>Choisissez les plongements de l&apos;enseignant (extrayez-les d&apos;abord dans la page Enseignant).</translation>
    </message>
    <message>
        <source>set %1 · %2 · %3-d</source>
        <translation>ensemble %1 · %2 · dimension %3</translation>
    </message>
    <message>
        <source>none</source>
        <translation>aucune</translation>
    </message>
    <message>
        <source>#%1 · k %2</source>
        <translation>n°%1 · k %2</translation>
    </message>
    <message>
        <source>#%1 %2 · %3 · %4</source>
        <translation>n°%1 %2 · %3 · %4</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; · %2 · %3 · %4 sampling · status &lt;b&gt;%5&lt;/b&gt;</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; · %2 · %3 · échantillonnage %4 · état &lt;b&gt;%5&lt;/b&gt;</translation>
    </message>
    <message>
        <source> · step %1 of %2</source>
        <translation> · pas %1 sur %2</translation>
    </message>
    <message>
        <source> · %1 steps/s (%2 clips/s)</source>
        <translation> · %1 pas/s (%2 extraits/s)</translation>
    </message>
    <message>
        <source> · ETA %1</source>
        <translation> · reste %1</translation>
    </message>
    <message>
        <source>training loss</source>
        <translation>perte d&apos;entraînement</translation>
    </message>
    <message>
        <source>validation loss</source>
        <translation>perte de validation</translation>
    </message>
    <message>
        <source>validation cosine</source>
        <translation>cosinus de validation</translation>
    </message>
    <message>
        <source>mean-embedding baseline %1</source>
        <translation>référence du plongement moyen %1</translation>
    </message>
    <message>
        <source>Save run config</source>
        <translation>Enregistrer la configuration</translation>
    </message>
    <message>
        <source>TOML (*.toml)</source>
        <translation>TOML (*.toml)</translation>
    </message>
    <message>
        <source>Load run config</source>
        <translation>Charger une configuration</translation>
    </message>
    <message>
        <source>Train</source>
        <translation>Entraînement</translation>
    </message>
    <message>
        <source>Run on cluster…</source>
        <translation>Lancer sur le cluster…</translation>
    </message>
    <message>
        <source>Submit the same run to Slurm: data-parallel over nodes × ranks</source>
        <translation>Soumettre le même entraînement à Slurm : parallèle sur nœuds × rangs</translation>
    </message>
    <message>
        <source>No run yet: choose the teacher embeddings and press &lt;b&gt;Start&lt;/b&gt;. A run started from a terminal or a cluster shows here too.</source>
        <translation>Pas encore d&apos;entraînement : choisissez les plongements de l&apos;enseignant et appuyez sur &lt;b&gt;Lancer&lt;/b&gt;. Un entraînement lancé depuis un terminal ou une grappe s&apos;affiche ici aussi.</translation>
    </message>
    <message>
        <source>choose…</source>
        <translation>choisir…</translation>
    </message>
    <message>
        <source>Clip length %1 s: every clip of &apos;%2&apos; is at most %3 s long (the reference&apos;s 10 s would be mostly padding). Set data.clip_seconds to choose another.</source>
        <translation>Durée des extraits %1 s : chaque extrait de « %2 » dure au plus %3 s (les 10 s de la référence seraient surtout du remplissage). Réglez data.clip_seconds pour en choisir une autre.</translation>
    </message>
    <message>
        <source>Loaded %1</source>
        <translation>%1 chargé</translation>
    </message>
    <message>
        <source>Asked run %1 (job %2) to stop; it saves a checkpoint first.</source>
        <translation>L&apos;entraînement %1 (tâche %2) doit s&apos;arrêter ; il enregistre d&apos;abord un point de reprise.</translation>
    </message>
    <message>
        <source>Run %1 has no running job.</source>
        <translation>L&apos;entraînement %1 n&apos;a pas de tâche en cours.</translation>
    </message>
</context>
</TS>
